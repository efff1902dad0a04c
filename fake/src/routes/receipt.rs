//! Cash receipts: `/receipts/{imp_uid}` for a paid transfer or deposit,
//! `/receipts/external/{merchant_uid}` for a cash sale made outside
//! PortOne. One record and one issue / revoke for both.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use portone_pg_core::Amount;
use serde::{Deserialize, Serialize};

use super::{answer, decode, serve};
use crate::state::{Refusal, State};
use crate::{Route, Shared};

/// An issued receipt, as PortOne answers it: with the payment's
/// `imp_uid`, or the sale's `merchant_uid` for an external one.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Receipt {
    #[serde(skip_serializing_if = "Option::is_none")]
    imp_uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    merchant_uid: Option<String>,
    receipt_tid: String,
    apply_num: String,
    r#type: String,
    amount: Amount,
    vat: Amount,
    receipt_url: String,
    applied_at: i64,
    cancelled_at: i64,
}

/// Which receipts a route serves: by payment or by external sale.
#[derive(Clone, Copy)]
enum Kind {
    Payment,
    External,
}

pub(super) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route(
            "/receipts/{imp_uid}",
            get(|s, p, h| read(s, p, h, Kind::Payment))
                .post(|s, p, h, b| issue(s, p, h, b, Kind::Payment))
                .delete(|s, p, h| revoke(s, p, h, Kind::Payment)),
        )
        .route(
            "/receipts/external/{merchant_uid}",
            get(|s, p, h| read(s, p, h, Kind::External))
                .post(|s, p, h, b| issue(s, p, h, b, Kind::External))
                .delete(|s, p, h| revoke(s, p, h, Kind::External)),
        )
}

#[derive(Deserialize)]
struct Body {
    identifier: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    // An external receipt's sale; a payment's receipt takes these from the
    // payment.
    #[serde(default)]
    channel_key: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    amount: Option<Amount>,
}

impl State {
    fn receipts_of(&mut self, kind: Kind) -> &mut BTreeMap<String, Receipt> {
        match kind {
            Kind::Payment => &mut self.receipts,
            Kind::External => &mut self.external_receipts,
        }
    }

    /// The amount a receipt is for: the paid transfer or deposit, or the
    /// external sale's, which must name its channel and sale.
    fn receipted_amount(&self, kind: Kind, id: &str, body: &Body) -> Result<Amount, Refusal> {
        match kind {
            Kind::Payment => match self.payments.get(id) {
                Some(p) if p.status == "paid" && matches!(p.pay_method, "trans" | "vbank") => {
                    Ok(p.amount)
                }
                Some(_) => Err(Refusal::new(
                    400,
                    1,
                    "현금영수증 발행대상 결제건이 아닙니다.",
                )),
                None => Err(Refusal::not_found()),
            },
            Kind::External => {
                let named = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.is_empty());
                match body.amount {
                    Some(amount) if named(&body.channel_key) && named(&body.name) => {
                        match amount.is_negative() || amount.is_zero() {
                            true => Err(Refusal::new(400, -1, "amount는 0보다 커야 합니다.")),
                            false => Ok(amount),
                        }
                    }
                    _ => Err(Refusal::new(
                        400,
                        -1,
                        "channel_key, name, amount는 필수입니다.",
                    )),
                }
            }
        }
    }

    /// Issues a receipt; one per payment or sale until it is revoked.
    fn issue_receipt(&mut self, kind: Kind, id: &str, body: Body) -> Result<&Receipt, Refusal> {
        let amount = self.receipted_amount(kind, id, &body)?;
        if body.identifier.is_empty() {
            return Err(Refusal::new(400, -1, "identifier는 필수입니다."));
        }
        if self
            .receipts_of(kind)
            .get(id)
            .is_some_and(|r| r.cancelled_at == 0)
        {
            return Err(Refusal::new(400, 1, "이미 현금영수증이 발행되었습니다."));
        }
        let now = self.now();
        let (imp_uid, merchant_uid) = match kind {
            Kind::Payment => (Some(id.to_owned()), None),
            Kind::External => (None, Some(id.to_owned())),
        };
        let receipt = Receipt {
            imp_uid,
            merchant_uid,
            receipt_tid: format!("R{now}"),
            apply_num: format!("{:09}", now % 1_000_000_000),
            r#type: body.kind.unwrap_or_else(|| "person".to_owned()),
            amount,
            vat: vat_of(amount),
            receipt_url: format!("https://fake.invalid/cash-receipts/{id}"),
            applied_at: now,
            cancelled_at: 0,
        };
        let receipts = self.receipts_of(kind);
        receipts.insert(id.to_owned(), receipt);
        receipts
            .get(id)
            .ok_or_else(|| Refusal::new(500, -1, "lost the receipt"))
    }

    fn revoke_receipt(&mut self, kind: Kind, id: &str) -> Result<&Receipt, Refusal> {
        let now = self.now();
        match self.receipts_of(kind).get_mut(id) {
            Some(receipt) if receipt.cancelled_at == 0 => {
                receipt.cancelled_at = now;
                Ok(receipt)
            }
            Some(_) => Err(Refusal::new(400, 1, "이미 발행취소된 현금영수증입니다.")),
            None => Err(no_receipt()),
        }
    }
}

/// The VAT of a taxed amount: one eleventh, in the amount's own unit.
pub(crate) fn vat_of(amount: Amount) -> Amount {
    Amount::new(amount.mantissa() / 11, amount.scale()).unwrap_or(amount)
}

fn no_receipt() -> Refusal {
    Refusal::new(404, 1, "발행된 현금영수증이 없습니다.")
}

async fn issue(
    Extract(shared): Extract<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    kind: Kind,
) -> Response {
    serve(&shared, Route::Receipt, &headers, |state| {
        let body: Body = decode(&headers, &body)?;
        answer(200, state.issue_receipt(kind, &id, body)?)
    })
    .await
}

async fn revoke(
    Extract(shared): Extract<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    kind: Kind,
) -> Response {
    serve(&shared, Route::Receipt, &headers, |state| {
        answer(200, state.revoke_receipt(kind, &id)?)
    })
    .await
}

async fn read(
    Extract(shared): Extract<Arc<Shared>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    kind: Kind,
) -> Response {
    serve(&shared, Route::Receipt, &headers, |state| {
        match state.receipts_of(kind).get(&id) {
            Some(receipt) => answer(200, receipt),
            None => Err(no_receipt()),
        }
    })
    .await
}
