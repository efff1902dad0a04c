//! `GET /payments/{imp_uid}/balance`: a PAYCO payment's amount split for
//! tax, and its history through refunds; and `GET /vbanks/holder`, a bank
//! account's holder, from the accounts a test registered.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, State as Extract};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use portone_pg_core::Amount;
use serde::Serialize;

use super::receipt::vat_of;
use super::{answer, serve};
use crate::state::{Refusal, State};
use crate::{Route, Shared};

pub(super) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route("/payments/{imp_uid}/balance", get(balance))
        .route("/vbanks/holder", get(holder))
}

#[derive(Serialize)]
struct Parts {
    tax_free: Amount,
    supply: Amount,
    vat: Amount,
    service: Amount,
}

#[derive(Serialize)]
struct Change {
    cash_receipt: Parts,
    primary: Parts,
    secondary: Parts,
    discount: Parts,
    created: i64,
}

#[derive(Serialize)]
struct Balance {
    amount: Amount,
    cash_receipt: Parts,
    primary: Parts,
    secondary: Parts,
    discount: Parts,
    histories: Vec<Change>,
}

/// An amount, all taxed and paid by the first means: VAT one eleventh.
fn taxed(amount: Amount) -> Parts {
    let vat = vat_of(amount);
    Parts {
        tax_free: zero(),
        supply: amount.checked_sub(vat).unwrap_or(amount),
        vat,
        service: zero(),
    }
}

fn zero() -> Amount {
    Amount::from(0)
}

fn nothing() -> Parts {
    Parts {
        tax_free: zero(),
        supply: zero(),
        vat: zero(),
        service: zero(),
    }
}

impl State {
    fn balance(&self, imp_uid: &str) -> Result<Balance, Refusal> {
        let payment = self
            .payments
            .get(imp_uid)
            .filter(|p| !p.sandbox)
            .ok_or_else(Refusal::not_found)?;
        if payment.pg_provider != "payco" {
            return Err(Refusal::new(
                400,
                1,
                "[FAKE] 결제 상세내역은 PAYCO 결제건만 조회할 수 있습니다.",
            ));
        }
        // The balance after the payment, then after each refund.
        let mut left = payment.amount;
        let mut histories = vec![Change {
            cash_receipt: nothing(),
            primary: taxed(left),
            secondary: nothing(),
            discount: nothing(),
            created: payment.paid_at,
        }];
        for cancel in &payment.cancel_history {
            left = left.checked_sub(cancel.amount).unwrap_or(left);
            histories.push(Change {
                cash_receipt: nothing(),
                primary: taxed(left),
                secondary: nothing(),
                discount: nothing(),
                created: cancel.cancelled_at,
            });
        }
        Ok(Balance {
            amount: payment.amount,
            cash_receipt: nothing(),
            primary: taxed(left),
            secondary: nothing(),
            discount: nothing(),
            histories,
        })
    }
}

async fn balance(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Balance, &headers, |state| {
        answer(200, state.balance(&imp_uid)?)
    })
    .await
}

#[derive(Serialize)]
struct Holder<'a> {
    bank_holder: &'a str,
}

async fn holder(
    Extract(shared): Extract<Arc<Shared>>,
    Query(query): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::AccountHolder, &headers, |state| {
        let (Some(bank), Some(number)) = (query.get("bank_code"), query.get("bank_num")) else {
            return Err(Refusal::new(400, -1, "bank_code, bank_num은 필수입니다."));
        };
        match state.account_holders.get(&(bank.clone(), number.clone())) {
            Some(name) => answer(200, Holder { bank_holder: name }),
            None => Err(Refusal::new(
                404,
                1,
                "[FAKE] 계좌 정보를 확인할 수 없습니다.",
            )),
        }
    })
    .await
}
