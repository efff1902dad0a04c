//! `/receipts/{imp_uid}`: the cash receipt of a transfer or a deposit.

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

/// An issued receipt, as PortOne answers it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Receipt {
    imp_uid: String,
    receipt_tid: String,
    apply_num: String,
    r#type: String,
    amount: Amount,
    receipt_url: String,
    applied_at: i64,
    cancelled_at: i64,
}

pub(super) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router.route("/receipts/{imp_uid}", get(read).post(issue).delete(revoke))
}

#[derive(Deserialize)]
struct Body {
    identifier: String,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

impl State {
    /// Issues the receipt of a paid transfer or deposit; one per payment
    /// until it is revoked.
    fn issue_receipt(&mut self, imp_uid: &str, body: Body) -> Result<&Receipt, Refusal> {
        let amount = match self.payments.get(imp_uid) {
            Some(p) if p.status == "paid" && matches!(p.pay_method, "trans" | "vbank") => p.amount,
            Some(_) => {
                return Err(Refusal::new(
                    400,
                    1,
                    "현금영수증 발행대상 결제건이 아닙니다.",
                ));
            }
            None => return Err(Refusal::not_found()),
        };
        if body.identifier.is_empty() {
            return Err(Refusal::new(400, -1, "identifier는 필수입니다."));
        }
        if self
            .receipts
            .get(imp_uid)
            .is_some_and(|r| r.cancelled_at == 0)
        {
            return Err(Refusal::new(400, 1, "이미 현금영수증이 발행되었습니다."));
        }
        let now = self.now();
        let receipt = Receipt {
            imp_uid: imp_uid.to_owned(),
            receipt_tid: format!("R{now}"),
            apply_num: format!("{:09}", now % 1_000_000_000),
            r#type: body.kind.unwrap_or_else(|| "person".to_owned()),
            amount,
            receipt_url: format!("https://fake.invalid/cash-receipts/{imp_uid}"),
            applied_at: now,
            cancelled_at: 0,
        };
        self.receipts.insert(imp_uid.to_owned(), receipt);
        self.receipts
            .get(imp_uid)
            .ok_or_else(|| Refusal::new(500, -1, "lost the receipt"))
    }

    fn revoke_receipt(&mut self, imp_uid: &str) -> Result<&Receipt, Refusal> {
        let now = self.now();
        match self.receipts.get_mut(imp_uid) {
            Some(receipt) if receipt.cancelled_at == 0 => {
                receipt.cancelled_at = now;
                Ok(receipt)
            }
            Some(_) => Err(Refusal::new(400, 1, "이미 발행취소된 현금영수증입니다.")),
            None => Err(Refusal::new(404, 1, "발행된 현금영수증이 없습니다.")),
        }
    }
}

async fn issue(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Receipt, &headers, |state| {
        let body: Body = decode(&headers, &body)?;
        answer(200, state.issue_receipt(&imp_uid, body)?)
    })
    .await
}

async fn revoke(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Receipt, &headers, |state| {
        answer(200, state.revoke_receipt(&imp_uid)?)
    })
    .await
}

async fn read(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Receipt, &headers, |state| {
        match state.receipts.get(&imp_uid) {
            Some(receipt) => answer(200, receipt),
            None => Err(Refusal::new(404, 1, "발행된 현금영수증이 없습니다.")),
        }
    })
    .await
}
