//! A checkout server that never fulfils an order on the browser's word.
//!
//! Before the payment window opens, [`App::open_order`] stores the order and
//! registers its amount with PortOne (`POST /payments/prepare`), so a window
//! for another amount is refused. Then three doors lead in — the
//! `IMP.request_pay` callback (POSTed by your page), the `m_redirect_url`
//! redirect, and PortOne's webhook — and all three go the same way: take the
//! `imp_uid` and the order it names, and [`Client::confirm`] it: fetch the
//! REST payment object and verify it against the stored order. Only a
//! [`VerifiedPayment`](portone_pg::rest::VerifiedPayment) changes an order's
//! state, and each transition happens once however often (and in whatever
//! order) the doors are knocked on. [`App::refund`] refunds through the
//! checksum-guarded cancel. The doors are portone-pg's axum extractors
//! (feature `axum`): the callback typed by the query's `pg`, the webhook read
//! as JSON or form by its content type.
//!
//! | route | input | answer |
//! |---|---|---|
//! | `POST /payments/callback?pg=kcp.T0000` | the callback object as JSON (`pg`: the request's `pg`, optional) | JSON `{"result": …}` |
//! | `GET /payments/complete?…` | the redirect's query | JSON `{"result": …}` |
//! | `POST /webhooks/portone` | the webhook, JSON or form | JSON `{"result": …}` |
//!
//! `result` is `paid`, `awaiting_deposit`, `already_paid` (a repeated
//! confirmation: nothing more to do), `failed` (the window reported a
//! failure; nothing fetched), `refused` (the payment does not match the
//! order: status 409), `unavailable` (PortOne could not be asked: 502) or
//! `bad_request` (the extractor's status: 400, 413 or 415).

#![deny(missing_docs)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use portone_pg::client::{self, Cancel, Client};
use portone_pg::extract::{Callback, Redirect, Rejection, WebhookEvent};
use portone_pg::rest::{Expected, Payment, Settlement};
use portone_pg::{Amount, Outcome};
use serde_json::json;

/// Where an order stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OrderState {
    /// Created; no verified payment yet.
    Open,
    /// A virtual account was issued and awaits the deposit.
    AwaitingDeposit,
    /// Paid and verified: fulfil it.
    Paid,
    /// Refunded in full.
    Refunded,
}

/// An order as the merchant stored it before opening the payment window.
#[derive(Clone, Debug)]
pub struct Order {
    /// The amount the buyer must pay.
    pub amount: Amount,
    /// Its state.
    pub state: OrderState,
    /// The verified payment's id, once there is one.
    pub imp_uid: Option<String>,
}

/// The server's state: the orders and the PortOne client.
pub struct App {
    orders: Mutex<HashMap<String, Order>>,
    portone: Client,
}

impl App {
    /// A server with no orders yet.
    pub fn new(portone: Client) -> Arc<Self> {
        Arc::new(App {
            orders: Mutex::new(HashMap::new()),
            portone,
        })
    }

    /// Stores an order and registers its amount with PortOne, before the
    /// payment window opens.
    pub async fn open_order(
        &self,
        merchant_uid: &str,
        amount: Amount,
    ) -> Result<(), client::Error> {
        self.portone.prepare(merchant_uid, amount).await?;
        let order = Order {
            amount,
            state: OrderState::Open,
            imp_uid: None,
        };
        self.orders().insert(merchant_uid.to_owned(), order);
        Ok(())
    }

    /// An order's current state.
    pub fn order(&self, merchant_uid: &str) -> Option<Order> {
        self.orders().get(merchant_uid).cloned()
    }

    fn orders(&self) -> std::sync::MutexGuard<'_, HashMap<String, Order>> {
        // A poisoned lock only means another request panicked mid-update;
        // the map itself is still consistent (each update is one statement).
        self.orders.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Refunds a paid order, all of it or `amount`; the cancel carries the
    /// balance read just before as its checksum, so a repeated refund is
    /// refused by PortOne instead of paid out twice.
    pub async fn refund(
        &self,
        merchant_uid: &str,
        amount: Option<Amount>,
    ) -> Result<Payment, client::Error> {
        let imp_uid = self
            .order(merchant_uid)
            .and_then(|o| o.imp_uid)
            .unwrap_or_default();
        let cancel = match amount {
            Some(amount) => Cancel::partial(imp_uid, amount),
            None => Cancel::full(imp_uid),
        };
        let after = self
            .portone
            .cancel(cancel.reason("refund requested"))
            .await?;
        if after
            .cancellable_amount()
            .is_some_and(|left| left.is_zero())
            && let Some(order) = self.orders().get_mut(merchant_uid)
        {
            order.state = OrderState::Refunded;
        }
        Ok(after)
    }

    /// Confirms the payment with PortOne against the order it names, then
    /// moves the order on, once.
    async fn confirm(&self, imp_uid: &str, merchant_uid: Option<&str>) -> Response {
        let Some((merchant_uid, order)) = merchant_uid.and_then(|m| Some((m, self.order(m)?)))
        else {
            return answer(StatusCode::CONFLICT, "refused", "no such order");
        };
        let expected = Expected::new(merchant_uid, order.amount).imp_uid(imp_uid);
        let verified = match self.portone.confirm(imp_uid, &expected).await {
            Ok(verified) => verified,
            Err(error) => {
                return match error.verify() {
                    Some(mismatch) => {
                        answer(StatusCode::CONFLICT, "refused", &mismatch.to_string())
                    }
                    None => answer(StatusCode::BAD_GATEWAY, "unavailable", &error.to_string()),
                };
            }
        };
        let next = match verified.settlement() {
            Settlement::Paid => OrderState::Paid,
            Settlement::AwaitingDeposit => OrderState::AwaitingDeposit,
        };
        // Compare and set under the lock: of two concurrent confirmations,
        // one moves the order, the other learns it was already done.
        let mut orders = self.orders();
        let Some(order) = orders.get_mut(merchant_uid) else {
            return answer(StatusCode::CONFLICT, "refused", "no such order");
        };
        let result = match (&order.state, &next) {
            (OrderState::Open, _) | (OrderState::AwaitingDeposit, OrderState::Paid) => {
                order.state = next.clone();
                order.imp_uid = Some(imp_uid.to_owned());
                match next {
                    OrderState::Paid => "paid",
                    _ => "awaiting_deposit",
                }
            }
            (OrderState::AwaitingDeposit, _) => "awaiting_deposit",
            _ => "already_paid",
        };
        answer(StatusCode::OK, result, merchant_uid)
    }
}

/// The routes of the table above.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/payments/callback", post(callback))
        .route("/payments/complete", get(redirect))
        .route("/webhooks/portone", post(webhook))
        .with_state(app)
}

fn answer(status: StatusCode, result: &str, detail: &str) -> Response {
    (
        status,
        axum::Json(json!({ "result": result, "detail": detail })),
    )
        .into_response()
}

/// A request the extractors refused: their status, in this server's JSON.
fn refused(rejection: Rejection) -> Response {
    let status = StatusCode::from_u16(rejection.status()).unwrap_or(StatusCode::BAD_REQUEST);
    answer(status, "bad_request", &rejection.to_string())
}

/// What the browser claimed decides only whether to look the payment up.
async fn claimed(
    app: &App,
    outcome: Outcome,
    imp_uid: Option<&str>,
    merchant_uid: Option<&str>,
) -> Response {
    match (outcome, imp_uid) {
        (Outcome::Failure { code, message }, _) => {
            let detail = message.or(code).unwrap_or_default();
            answer(StatusCode::OK, "failed", &detail)
        }
        (_, Some(imp_uid)) => app.confirm(imp_uid, merchant_uid).await,
        (_, None) => answer(
            StatusCode::BAD_REQUEST,
            "bad_request",
            "no imp_uid to look up",
        ),
    }
}

async fn callback(State(app): State<Arc<App>>, callback: Result<Callback, Rejection>) -> Response {
    match callback {
        Ok(Callback(response)) => {
            claimed(
                &app,
                response.outcome(),
                response.imp_uid(),
                response.merchant_uid(),
            )
            .await
        }
        Err(rejection) => refused(rejection),
    }
}

async fn redirect(State(app): State<Arc<App>>, redirect: Result<Redirect, Rejection>) -> Response {
    match redirect {
        Ok(Redirect(redirect)) => {
            claimed(
                &app,
                redirect.outcome(),
                redirect.imp_uid(),
                redirect.merchant_uid(),
            )
            .await
        }
        Err(rejection) => refused(rejection),
    }
}

async fn webhook(
    State(app): State<Arc<App>>,
    webhook: Result<WebhookEvent, Rejection>,
) -> Response {
    match webhook {
        // A webhook is an event, not a claim: always look the payment up.
        Ok(WebhookEvent(webhook)) => {
            app.confirm(webhook.imp_uid(), Some(webhook.merchant_uid()))
                .await
        }
        Err(rejection) => refused(rejection),
    }
}
