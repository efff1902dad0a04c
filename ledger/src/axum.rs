//! The three doors on an axum `Router` (feature `axum`): the callback your
//! page posts, the redirect to `m_redirect_url`, PortOne's webhook. Each
//! only names a payment; the ledger looks it up and settles it.
//!
//! ```no_run
//! # async fn run(ledger: portone_pg_ledger::Ledger<portone_pg_ledger::store::SqliteStore>) {
//! use portone_pg_ledger::axum::{Paths, routes};
//!
//! let app = routes(ledger, Paths::default());
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await.unwrap();
//! // The peer's address feeds the webhook's source check and audit.
//! axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
//!     .await
//!     .unwrap();
//! # }
//! ```

use std::net::SocketAddr;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use portone_pg::extract::{Callback, Redirect};

use crate::store::Store;
use crate::{Door, Error, ErrorKind, Ledger, Notification, Settled};

/// The largest webhook body read (PortOne's are a few hundred bytes).
const MAX_WEBHOOK: usize = 64 << 10;

/// Where the doors are mounted.
#[derive(Clone, Debug)]
pub struct Paths {
    /// `POST`, JSON: the `IMP.request_pay` callback object, `?pg=` the
    /// request's `pg` (default `/portone/callback`).
    pub callback: String,
    /// `GET`: the `m_redirect_url` redirect (default `/portone/redirect`).
    pub redirect: String,
    /// `POST`, JSON or form: PortOne's webhook (default `/portone/webhook`).
    pub webhook: String,
}

impl Default for Paths {
    fn default() -> Self {
        Paths {
            callback: "/portone/callback".into(),
            redirect: "/portone/redirect".into(),
            webhook: "/portone/webhook".into(),
        }
    }
}

/// A router with the three doors, settling through `ledger`.
///
/// The callback and the redirect answer the browser with the order's state
/// as JSON (`{"merchant_uid":…,"state":…,"first":…}`): 200 when settled,
/// 400 for a malformed result, 404 for an unknown order or payment, 409 for
/// a payment that is not the order's, 503 when PortOne or the store is
/// unreachable. A result that names no payment (a closed window, a refused
/// card) is answered 200 with the outcome the window claimed, and settles
/// nothing. The webhook is answered as [`Ledger::notify`] says.
pub fn routes<S: Store>(ledger: Ledger<S>, paths: Paths) -> Router {
    Router::new()
        .route(&paths.callback, post(callback::<S>))
        .route(&paths.redirect, get(redirect::<S>))
        .route(&paths.webhook, post(webhook::<S>))
        .with_state(ledger)
}

async fn callback<S: Store>(
    State(ledger): State<Ledger<S>>,
    Callback(result): Callback,
) -> Response {
    let claim = result.outcome().to_string();
    door(&ledger, result.imp_uid(), &claim, Door::Callback).await
}

async fn redirect<S: Store>(
    State(ledger): State<Ledger<S>>,
    Redirect(result): Redirect,
) -> Response {
    let claim = result.outcome().to_string();
    door(&ledger, result.imp_uid(), &claim, Door::Redirect).await
}

async fn door<S: Store>(
    ledger: &Ledger<S>,
    imp_uid: Option<&str>,
    claim: &str,
    door: Door,
) -> Response {
    let Some(imp_uid) = imp_uid else {
        return json(StatusCode::OK, serde_json::json!({ "claim": claim }));
    };
    match ledger.settle_via(imp_uid, door).await {
        Ok(settled) => json(StatusCode::OK, settled_json(&settled)),
        Err(error) => {
            let status = match error.kind() {
                ErrorKind::UnknownOrder => StatusCode::NOT_FOUND,
                ErrorKind::Mismatch => StatusCode::CONFLICT,
                _ if error.is_transient() => StatusCode::SERVICE_UNAVAILABLE,
                // PortOne has no such payment.
                _ => StatusCode::NOT_FOUND,
            };
            json(status, error_json(&error))
        }
    }
}

async fn webhook<S: Store>(State(ledger): State<Ledger<S>>, request: Request) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let headers: HeaderMap = request.headers().clone();
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let body = match axum::body::to_bytes(request.into_body(), MAX_WEBHOOK).await {
        Ok(body) => body,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    let notification = Notification {
        peer,
        forwarded_for: text("x-forwarded-for"),
        content_type: text(header::CONTENT_TYPE.as_str()).unwrap_or_default(),
        body: body.to_vec(),
    };
    let answer = ledger.notify(&notification).await;
    let status = StatusCode::from_u16(answer.status()).unwrap_or(StatusCode::OK);
    (status, answer.as_str()).into_response()
}

fn settled_json(settled: &Settled) -> serde_json::Value {
    serde_json::json!({
        "merchant_uid": settled.order().merchant_uid(),
        "state": settled.state().as_str(),
        "first": settled.is_first(),
    })
}

fn error_json(error: &Error) -> serde_json::Value {
    serde_json::json!({ "error": format!("{:?}", error.kind()), "message": error.to_string() })
}

fn json(status: StatusCode, value: serde_json::Value) -> Response {
    let mut response = Response::new(Body::from(value.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    response
}
