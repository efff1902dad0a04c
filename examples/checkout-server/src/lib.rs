//! A checkout server that fulfils each order exactly once, on
//! `portone-pg-ledger`.
//!
//! Before the payment window opens, `POST /orders` opens the order: stored
//! as pending in the ledger (a SQLite file) and its amount registered with
//! PortOne, so a window for another amount is refused. Then three doors
//! lead in — the `IMP.request_pay` callback your page posts, the
//! `m_redirect_url` redirect, and PortOne's webhook — mounted by
//! [`portone_pg_ledger::axum::routes`]: each only names a payment, which the
//! ledger fetches, checks against the order and applies with one
//! compare-and-set. Whatever their number and order, the order is paid once
//! and one `Fulfil` job is written; [`work`] carries the jobs out.
//!
//! | route | what |
//! |---|---|
//! | `POST /orders` | `{"merchant_uid": …, "amount": "1004"}`: open an order |
//! | `GET /orders/{merchant_uid}` | its state, refunds and history |
//! | `POST /orders/{merchant_uid}/refund` | `{"amount": "300"?, "reason": …?, "key": …?}` |
//! | `POST /portone/callback?pg=…` | the callback object (JSON) |
//! | `GET /portone/redirect?…` | the redirect |
//! | `POST /portone/webhook` | PortOne's webhook (JSON or form) |
//! | `GET /checkout?merchant_uid=…&amount=…&pg=…` | the checkout page ([`checkout`]): opens the order, then the payment window |

#![deny(missing_docs)]

use std::time::Duration;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use portone_pg::Amount;
use portone_pg_ledger::store::Store;
use portone_pg_ledger::{ErrorKind, JobKind, Ledger, Order, Refund};
use serde::Deserialize;
use serde_json::json;

/// The routes of the table above.
pub fn router<S: Store>(ledger: Ledger<S>) -> Router {
    let shop = Router::new()
        .route("/orders", post(open::<S>))
        .route("/orders/{merchant_uid}", get(order::<S>))
        .route("/orders/{merchant_uid}/refund", post(refund::<S>))
        .with_state(ledger.clone());
    shop.merge(portone_pg_ledger::axum::routes(ledger, Default::default()))
}

/// `GET /checkout?merchant_uid=…&amount=…&pg=…[&pay_method=…]`: the page
/// a buyer pays on. It opens the order (`POST /orders`), then the payment
/// window through the V1 SDK loaded from `sdk_url` (PortOne's
/// `https://cdn.iamport.kr/v1/iamport.js`, or the fake's
/// [`sdk_url`](portone_pg_fake::FakeApi::sdk_url)), posts the callback to
/// `/portone/callback?pg=…`, and on a phone lets the SDK redirect to
/// `/portone/redirect`.
pub fn checkout(sdk_url: &str) -> Router {
    let page = include_str!("checkout.html").replace("SDK_URL", &html_attribute(sdk_url));
    Router::new().route(
        "/checkout",
        get(move || {
            let page = page.clone();
            async move { axum::response::Html(page) }
        }),
    )
}

fn html_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

/// Carries out the ledger's jobs until none is left: what a worker loop
/// does between naps. Returns what it did, one line per job.
pub async fn work<S: Store>(ledger: &Ledger<S>) -> Result<Vec<String>, portone_pg_ledger::Error> {
    let mut done = Vec::new();
    while let Some(job) = ledger.next_job(Duration::from_secs(60)).await? {
        // A real shop ships, grants or mails here, keyed by `job.key()` so
        // that a job offered twice (a worker died) has its effect once.
        let line = match job.kind() {
            JobKind::Fulfil => format!("fulfil {}", job.merchant_uid()),
            JobKind::Cancelled { cancellation_id } => {
                format!("refunded {} ({cancellation_id})", job.merchant_uid())
            }
            JobKind::Expired => format!("release {}", job.merchant_uid()),
            other => format!("look at {}: {other:?}", job.merchant_uid()),
        };
        job.done().await?;
        done.push(line);
    }
    Ok(done)
}

#[derive(Deserialize)]
struct OpenOrder {
    merchant_uid: String,
    amount: Amount,
}

#[derive(Deserialize)]
struct RefundRequest {
    amount: Option<Amount>,
    reason: Option<String>,
    key: Option<String>,
}

async fn open<S: Store>(State(ledger): State<Ledger<S>>, body: axum::Json<OpenOrder>) -> Response {
    match ledger.open(&body.merchant_uid, body.amount).await {
        Ok(order) => (StatusCode::CREATED, axum::Json(order_json(&order))).into_response(),
        Err(error) => failure(&error),
    }
}

async fn order<S: Store>(
    State(ledger): State<Ledger<S>>,
    Path(merchant_uid): Path<String>,
) -> Response {
    match ledger.order(&merchant_uid).await {
        Ok(Some(order)) => axum::Json(order_json(&order)).into_response(),
        Ok(None) => (
            StatusCode::NOT_FOUND,
            axum::Json(json!({"error": "no such order"})),
        )
            .into_response(),
        Err(error) => failure(&error),
    }
}

async fn refund<S: Store>(
    State(ledger): State<Ledger<S>>,
    Path(merchant_uid): Path<String>,
    body: axum::Json<RefundRequest>,
) -> Response {
    let mut refund = match body.amount {
        Some(amount) => Refund::partial(merchant_uid, amount),
        None => Refund::full(merchant_uid),
    };
    if let Some(reason) = &body.reason {
        refund = refund.reason(reason.clone());
    }
    if let Some(key) = &body.key {
        refund = refund.key(key.clone());
    }
    match ledger.refund(refund).await {
        Ok(order) => axum::Json(order_json(&order)).into_response(),
        Err(error) => failure(&error),
    }
}

/// An order as JSON: amounts as exact decimal strings, its history.
pub fn order_json(order: &Order) -> serde_json::Value {
    let history: Vec<_> = order
        .history()
        .iter()
        .map(|t| {
            json!({
                "from": t.from().as_str(),
                "to": t.to().as_str(),
                "door": t.door().as_str(),
                "imp_uid": t.imp_uid(),
            })
        })
        .collect();
    json!({
        "merchant_uid": order.merchant_uid(),
        "amount": order.amount().to_string(),
        "state": order.state().as_str(),
        "imp_uid": order.imp_uid(),
        "cancelled_amount": order.cancelled_amount().to_string(),
        "attention": order.attention(),
        "history": history,
    })
}

fn failure(error: &portone_pg_ledger::Error) -> Response {
    let status = match error.kind() {
        ErrorKind::UnknownOrder => StatusCode::NOT_FOUND,
        ErrorKind::OrderExists | ErrorKind::NotRefundable | ErrorKind::Mismatch => {
            StatusCode::CONFLICT
        }
        _ if error.is_transient() => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::BAD_GATEWAY,
    };
    (status, axum::Json(json!({ "error": error.to_string() }))).into_response()
}
