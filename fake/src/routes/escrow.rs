//! `/escrows/logis/{imp_uid}`: the delivery of an escrow payment.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::{Deserialize, Serialize};

use super::{answer, decode, serve};
use crate::state::{Refusal, State};
use crate::{Route, Shared};

/// A registered delivery, as PortOne answers it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Delivery {
    company: String,
    invoice: String,
    sent_at: i64,
    applied_at: i64,
}

pub(super) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router.route(
        "/escrows/logis/{imp_uid}",
        get(read)
            .post(|s, p, h, b| deliver(s, p, h, b, false))
            .put(|s, p, h, b| deliver(s, p, h, b, true)),
    )
}

#[derive(Deserialize)]
struct Body {
    logis: Logis,
}

#[derive(Deserialize)]
struct Logis {
    company: String,
    invoice: String,
    sent_at: i64,
}

impl State {
    /// Registers (`replace`: changes) the delivery of a paid escrow payment.
    fn deliver(
        &mut self,
        imp_uid: &str,
        logis: Logis,
        replace: bool,
    ) -> Result<&Delivery, Refusal> {
        match self.payments.get(imp_uid) {
            Some(p) if p.escrow && p.status == "paid" => {}
            Some(_) => return Err(Refusal::new(400, 1, "에스크로 결제건이 아닙니다.")),
            None => return Err(Refusal::not_found()),
        }
        if logis.company.is_empty() || logis.invoice.is_empty() {
            return Err(Refusal::new(
                400,
                -1,
                "logis의 하위 필드는 모두 필수입니다.",
            ));
        }
        match (self.deliveries.contains_key(imp_uid), replace) {
            (true, false) => return Err(Refusal::new(400, 1, "이미 배송정보가 등록되었습니다.")),
            (false, true) => return Err(Refusal::new(404, 1, "등록된 배송정보가 없습니다.")),
            _ => {}
        }
        let delivery = Delivery {
            company: logis.company,
            invoice: logis.invoice,
            sent_at: logis.sent_at,
            applied_at: self.now(),
        };
        self.deliveries.insert(imp_uid.to_owned(), delivery);
        self.deliveries
            .get(imp_uid)
            .ok_or_else(|| Refusal::new(500, -1, "lost the delivery"))
    }
}

/// `POST` registers a delivery, `PUT` (`replace`) changes the one
/// registered.
async fn deliver(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
    replace: bool,
) -> Response {
    serve(&shared, Route::Escrow, &headers, |state| {
        let body: Body = decode(&headers, &body)?;
        answer(200, state.deliver(&imp_uid, body.logis, replace)?)
    })
    .await
}

async fn read(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Escrow, &headers, |state| {
        match state.deliveries.get(&imp_uid) {
            Some(delivery) => answer(200, delivery),
            None => Err(Refusal::new(404, 1, "등록된 배송정보가 없습니다.")),
        }
    })
    .await
}
