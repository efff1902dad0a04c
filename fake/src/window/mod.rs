//! The fake payment window: a stand-in for PortOne's V1 browser SDK
//! (`/v1/iamport.js`) and the window it opens. The script asks the fake
//! what to do; the fake checks the request as the real SDK does before any
//! window opens, picks the window's mode (an overlay, a popup, or a
//! redirect on a mobile user agent, the SDK deciding "mobile" from the user
//! agent alone), and, once the window is decided, makes the payment in the
//! same store the REST routes serve and renders the callback object and
//! the redirect query from the PG's schema file.
//!
//! The real script this stands in for is public at
//! <https://github.com/portone-io/sdk-playground.portone.io/blob/83819abf171b7400796fdab6a1f7c33c9b920059/src/sdk/iamport-1.3.0.esm.js>
//! (its pre-validation answers and redirect rules are followed here).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use portone_pg_core::Amount;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::Shared;
use crate::routes::json_response;
use crate::webhook::WebhookStatus;

mod answer;
mod observed;
mod open;
mod script;

use answer::answer;
use open::open;
use script::{cors, legacy_script, module, preflight, script};

const SCRIPT: &str = include_str!("iamport.js");
const PAGE: &str = include_str!("window.html");

/// How a payment window ends, decided by a click or in advance with
/// [`FakeApi::auto_decide`](crate::FakeApi::auto_decide).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// The buyer pays: `status: paid`, or for `pay_method: vbank` an
    /// account issued (`status: ready`). The webhook follows.
    Approve,
    /// The card company refuses: a payment with `status: failed`, no
    /// webhook.
    Decline,
    /// The buyer closes the window: a payment with `status: failed`, no
    /// webhook.
    Cancel,
}

impl Decision {
    fn from_name(name: &str) -> Option<Decision> {
        match name {
            "approve" | "issue_vbank" => Some(Decision::Approve),
            "decline" => Some(Decision::Decline),
            "cancel" => Some(Decision::Cancel),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Decision::Approve => "approve",
            Decision::Decline => "decline",
            Decision::Cancel => "cancel",
        }
    }
}

/// Which of the properties a PG's schema marks `optional` a rendered
/// callback carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Profile {
    /// Only what the schema promises: `always` properties, and on success
    /// the `on_success` ones.
    #[default]
    Minimum,
    /// What the bundled real and documented captures of the PG show for
    /// the outcome (and what the schema promises); [`Minimum`](Self::Minimum)
    /// for a PG and outcome without one.
    Observed,
    /// Every property the schema lists that the payment has a value for.
    All,
}

/// When the webhook of a payment made in a window goes out, relative to
/// what the page receives (PortOne promises no order between them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum WindowWebhook {
    /// Sent as the window answers, racing the callback or the redirect.
    #[default]
    WithAnswer,
    /// Delivered (answered or failed) before the window answers.
    BeforeAnswer,
    /// Sent once the page reports its callback called; for a redirect,
    /// right after the window answers.
    AfterCallback,
    /// Sent this long after the window answers.
    Delayed(std::time::Duration),
    /// Sent twice, as PortOne may.
    Twice,
    /// Never sent.
    Dropped,
}

/// Something that happened in a window, in order, for tests to wait on.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WindowEvent {
    /// The SDK answered before any window opened (`error_code`, or the
    /// typo'd `error_coe` of an unconfigured PG).
    Refused {
        /// The order.
        merchant_uid: String,
        /// The code the SDK answered.
        error_code: String,
    },
    /// A window opened: `iframe`, `popup` or `redirect`.
    Opened {
        /// The order.
        merchant_uid: String,
        /// How it opened.
        mode: &'static str,
    },
    /// The window was decided and its payment made.
    Decided {
        /// The order.
        merchant_uid: String,
        /// The payment, when one was made.
        imp_uid: Option<String>,
        /// How it ended.
        decision: Decision,
    },
    /// The page's callback was called with the result.
    CallbackDelivered {
        /// The order.
        merchant_uid: String,
    },
}

/// The windows of one fake.
#[derive(Default)]
pub(crate) struct Windows {
    pub(crate) auto: Option<Decision>,
    pub(crate) profile: Profile,
    /// Whether a success callback carries `success` even where the schema
    /// marks it optional (the docs and captured callbacks disagree).
    pub(crate) success_flag: bool,
    /// The PG codes configured; `None`: every PG.
    pub(crate) configured: Option<Vec<String>>,
    pub(crate) webhook: WindowWebhook,
    /// Whether window payments are made through a test channel.
    pub(crate) sandbox: bool,
    next: u64,
    open: HashMap<String, Window>,
    pub(crate) events: Vec<WindowEvent>,
}

struct Window {
    kind: Kind,
    code: String,
    params: Map<String, Value>,
    merchant_uid: String,
    amount: Amount,
    pay_method: &'static str,
    mode: &'static str,
    origin: String,
    answer: Option<Value>,
    /// The webhook held until the page reports its callback called.
    held: Option<WebhookStatus>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Payment,
    Certification,
}

pub(crate) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route("/v1/iamport.js", get(script))
        .route("/v1/iamport.esm.js", get(module))
        .route("/js/{file}", get(legacy_script))
        .route("/__fake/window", post(open).options(preflight))
        .route("/__fake/window/{id}", get(page))
        .route("/__fake/window/{id}/decide", post(decide))
        .route("/__fake/delivered", post(delivered).options(preflight))
}

/// The SDK's pay methods the fake makes payments of.
const PAY_METHODS: &[&str] = &[
    "card",
    "trans",
    "vbank",
    "phone",
    "point",
    "samsung",
    "kakaopay",
    "naverpay",
    "payco",
    "tosspay",
    "ssgpay",
    "lpay",
    "kpay",
    "applepay",
    "paypal",
    "cultureland",
    "smartculture",
    "happymoney",
    "booknlife",
    "alipay",
    "wechat",
    "unionpay",
    "tenpay",
    "cvs",
];

/// Escapes text for HTML.
fn html(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A JavaScript string literal's content.
fn js(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_default()
        .trim_matches('"')
        .replace("</", "<\\/")
}

async fn page(Extract(shared): Extract<Arc<Shared>>, Path(id): Path<String>) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    let windows = shared.windows();
    let Some(window) = windows.open.get(&id) else {
        return (StatusCode::NOT_FOUND, "no such window").into_response();
    };
    let auto = windows.auto.map_or("", |d| match (d, window.pay_method) {
        (Decision::Approve, "vbank") => "issue_vbank",
        (d, _) => d.name(),
    });
    let vbank = match window.pay_method {
        "vbank" => r#"<button data-fake="issue_vbank">Issue an account</button>"#,
        _ => "",
    };
    let title = match window.kind {
        Kind::Payment => "Fake payment window",
        Kind::Certification => "Fake identity verification",
    };
    let text = PAGE
        .replace("FAKE_KIND_TITLE", title)
        .replace("FAKE_PG", &html(&window.code))
        .replace("FAKE_MERCHANT_UID", &html(&window.merchant_uid))
        .replace("FAKE_AMOUNT", &window.amount.to_string())
        .replace("FAKE_PAY_METHOD", window.pay_method)
        .replace("FAKE_VBANK_BUTTON", vbank)
        .replace("FAKE_ID", &js(&id))
        .replace("FAKE_PAGE_ORIGIN", &js(&window.origin))
        .replace("FAKE_MODE", window.mode)
        .replace("FAKE_AUTO", auto);
    let mut response = (StatusCode::OK, text).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    response
}

#[derive(Deserialize)]
struct DecideRequest {
    decision: String,
}

async fn decide(
    Extract(shared): Extract<Arc<Shared>>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    let decision = serde_json::from_slice::<DecideRequest>(&body)
        .ok()
        .and_then(|d| Decision::from_name(&d.decision));
    let Some(decision) = decision else {
        return (
            StatusCode::BAD_REQUEST,
            "decision: approve, decline or cancel",
        )
            .into_response();
    };
    let Some((answer, webhook)) = answer(&shared, &id, decision) else {
        return (StatusCode::NOT_FOUND, "no such window").into_response();
    };
    if let Some((status, policy)) = webhook {
        send(&shared, &id, status, policy).await;
    }
    json_response(200, answer.to_string())
}

/// Sends a window's webhook as `policy` says.
async fn send(shared: &Arc<Shared>, id: &str, status: WebhookStatus, policy: WindowWebhook) {
    match policy {
        WindowWebhook::WithAnswer => shared.spawn_webhook(status),
        WindowWebhook::BeforeAnswer => {
            shared.deliver_webhook(status).await;
        }
        WindowWebhook::AfterCallback => {
            let mut windows = shared.windows();
            match windows.open.get_mut(id) {
                Some(window) if window.mode != "redirect" => window.held = Some(status),
                _ => {
                    drop(windows);
                    shared.spawn_webhook(status);
                }
            }
        }
        WindowWebhook::Delayed(delay) => {
            let shared = Arc::clone(shared);
            tokio::spawn(async move {
                tokio::time::sleep(delay).await;
                shared.deliver_webhook(status).await;
            });
        }
        WindowWebhook::Twice => {
            shared.spawn_webhook(status.clone());
            shared.spawn_webhook(status);
        }
        WindowWebhook::Dropped => {}
    }
}

#[derive(Deserialize)]
struct Delivered {
    id: Option<String>,
    merchant_uid: Option<String>,
}

/// The page's callback was called: the event, and a webhook held for it.
async fn delivered(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    let Ok(delivered) = serde_json::from_slice::<Delivered>(&body) else {
        return cors(&headers, StatusCode::BAD_REQUEST.into_response());
    };
    let held = delivered.id.as_ref().and_then(|id| {
        shared
            .windows()
            .open
            .get_mut(id)
            .and_then(|w| w.held.take())
    });
    if let Some(merchant_uid) = delivered.merchant_uid {
        shared.window_event(WindowEvent::CallbackDelivered { merchant_uid });
    }
    if let Some(status) = held {
        shared.spawn_webhook(status);
    }
    cors(&headers, StatusCode::NO_CONTENT.into_response())
}
