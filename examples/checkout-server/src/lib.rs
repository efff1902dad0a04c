//! A checkout server that never fulfils an order on the browser's word.
//!
//! Three doors lead in — the `IMP.request_pay` callback (POSTed by your
//! page), the `m_redirect_url` redirect, and PortOne's webhook — and all
//! three go the same way: take the `imp_uid`, fetch the REST payment object
//! through a [`PaymentSource`], and [`verify`](portone_pg::rest::Payment::verify)
//! it against the order this server stored before the payment window opened.
//! Only a [`VerifiedPayment`](portone_pg::rest::VerifiedPayment) changes an
//! order's state.
//!
//! | route | input | answer |
//! |---|---|---|
//! | `POST /payments/callback?pg=kcp.T0000` | the callback object as JSON (`pg`: the request's `pg`, optional) | JSON `{"result": …}` |
//! | `GET /payments/complete?…` | the redirect's query | JSON `{"result": …}` |
//! | `POST /webhooks/portone` | the webhook, JSON or form | JSON `{"result": …}` |
//!
//! `result` is `paid`, `awaiting_deposit`, `failed` (the window reported a
//! failure; nothing fetched), `refused` (the payment does not match the
//! order: status 409) or `bad_request` (status 400).

#![deny(missing_docs)]

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use portone_pg::rest::{Expected, Payment, Settlement};
use portone_pg::{Amount, Outcome, PaymentResponse, RedirectResult, Webhook};
use serde_json::json;

/// Where the server gets `GET /payments/{imp_uid}` from. Production code
/// implements it with an HTTP client and a PortOne access token; tests and
/// the demo use [`StaticPayments`].
pub trait PaymentSource: Send + Sync + 'static {
    /// The payment object for `imp_uid`, or why it could not be fetched.
    fn fetch(&self, imp_uid: &str) -> impl Future<Output = Result<Payment, String>> + Send;
}

/// Payment objects held in memory, keyed by `imp_uid`.
#[derive(Default)]
pub struct StaticPayments(pub HashMap<String, Payment>);

impl PaymentSource for StaticPayments {
    async fn fetch(&self, imp_uid: &str) -> Result<Payment, String> {
        self.0
            .get(imp_uid)
            .cloned()
            .ok_or_else(|| format!("no payment {imp_uid}"))
    }
}

/// Where an order stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderState {
    /// Created; no verified payment yet.
    Open,
    /// A virtual account was issued and awaits the deposit.
    AwaitingDeposit,
    /// Paid and verified: fulfil it.
    Paid,
}

/// An order as the merchant stored it before opening the payment window.
#[derive(Clone, Debug)]
pub struct Order {
    /// The amount the buyer must pay.
    pub amount: Amount,
    /// Its state.
    pub state: OrderState,
}

/// The server's state: the orders and the payment source.
pub struct App<P> {
    orders: Mutex<HashMap<String, Order>>,
    payments: P,
}

impl<P: PaymentSource> App<P> {
    /// A server with no orders yet.
    pub fn new(payments: P) -> Arc<Self> {
        Arc::new(App {
            orders: Mutex::new(HashMap::new()),
            payments,
        })
    }

    /// Stores an order before the payment window opens.
    pub fn create_order(&self, merchant_uid: &str, amount: Amount) {
        let order = Order {
            amount,
            state: OrderState::Open,
        };
        self.orders().insert(merchant_uid.to_owned(), order);
    }

    /// An order's current state.
    pub fn order(&self, merchant_uid: &str) -> Option<Order> {
        self.orders().get(merchant_uid).cloned()
    }

    fn orders(&self) -> std::sync::MutexGuard<'_, HashMap<String, Order>> {
        // A poisoned lock only means another request panicked mid-update;
        // the map itself is still consistent (each update is one insert).
        self.orders.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Fetches the payment and verifies it against its order.
    async fn confirm(&self, imp_uid: &str) -> Response {
        let payment = match self.payments.fetch(imp_uid).await {
            Ok(payment) => payment,
            Err(why) => return answer(StatusCode::BAD_GATEWAY, "unavailable", &why),
        };
        let Some(order) = self.order(&payment.merchant_uid) else {
            return answer(StatusCode::CONFLICT, "refused", "no such order");
        };
        let expected = Expected::new(payment.merchant_uid.clone(), order.amount).imp_uid(imp_uid);
        match payment.verify(&expected) {
            Ok(verified) => {
                let state = match verified.settlement() {
                    Settlement::Paid => OrderState::Paid,
                    Settlement::AwaitingDeposit => OrderState::AwaitingDeposit,
                };
                let result = match state {
                    OrderState::Paid => "paid",
                    _ => "awaiting_deposit",
                };
                if let Some(order) = self.orders().get_mut(&payment.merchant_uid) {
                    order.state = state;
                }
                answer(StatusCode::OK, result, &payment.merchant_uid)
            }
            Err(mismatch) => answer(StatusCode::CONFLICT, "refused", &mismatch.to_string()),
        }
    }
}

/// The routes of the table above.
pub fn router<P: PaymentSource>(app: Arc<App<P>>) -> Router {
    Router::new()
        .route("/payments/callback", post(callback::<P>))
        .route("/payments/complete", get(redirect::<P>))
        .route("/webhooks/portone", post(webhook::<P>))
        .with_state(app)
}

fn answer(status: StatusCode, result: &str, detail: &str) -> Response {
    (
        status,
        axum::Json(json!({ "result": result, "detail": detail })),
    )
        .into_response()
}

fn bad_request(error: portone_pg::Error) -> Response {
    answer(StatusCode::BAD_REQUEST, "bad_request", &error.to_string())
}

/// What the browser claimed decides only whether to look the payment up.
async fn claimed<P: PaymentSource>(
    app: &App<P>,
    outcome: Outcome,
    imp_uid: Option<&str>,
) -> Response {
    match (outcome, imp_uid) {
        (Outcome::Failure { code, message }, _) => {
            let detail = message.or(code).unwrap_or_default();
            answer(StatusCode::OK, "failed", &detail)
        }
        (_, Some(imp_uid)) => app.confirm(imp_uid).await,
        (_, None) => answer(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "no imp_uid to look up",
        ),
    }
}

async fn callback<P: PaymentSource>(
    State(app): State<Arc<App<P>>>,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let pg = query.as_deref().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("pg="))
            .map(str::to_owned)
    });
    let parsed = match pg {
        Some(pg) => PaymentResponse::from_json_with_pg(&pg, &body),
        None => PaymentResponse::from_json(&body),
    };
    match parsed {
        Ok(response) => claimed(&app, response.outcome(), response.imp_uid()).await,
        Err(e) => bad_request(e),
    }
}

async fn redirect<P: PaymentSource>(
    State(app): State<Arc<App<P>>>,
    RawQuery(query): RawQuery,
) -> Response {
    match RedirectResult::from_query(query.as_deref().unwrap_or("")) {
        Ok(redirect) => claimed(&app, redirect.outcome(), redirect.imp_uid()).await,
        Err(e) => bad_request(e),
    }
}

async fn webhook<P: PaymentSource>(
    State(app): State<Arc<App<P>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    match Webhook::from_body(content_type, &body) {
        // A webhook is an event, not a claim: always look the payment up.
        Ok(webhook) => app.confirm(webhook.imp_uid()).await,
        Err(e) => bad_request(e),
    }
}
