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
use portone_pg::{PaymentWindow, PgProvider, Presence, SuccessRule, WindowMode};
use portone_pg_core::Amount;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::routes::json_response;
use crate::state::Payment;
use crate::webhook::WebhookStatus;
use crate::{NewPayment, PaymentKind, Shared};

mod observed;

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

fn script_text(shared: &Shared) -> String {
    SCRIPT.replace("FAKE_ORIGIN", &shared.origin())
}

fn javascript(body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    response
}

async fn script(Extract(shared): Extract<Arc<Shared>>) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    javascript(script_text(&shared))
}

/// The ES module form: the same script, `IMP` also its default export.
async fn module(Extract(shared): Extract<Arc<Shared>>) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    javascript(format!(
        "{}\nexport default window.IMP;\n",
        script_text(&shared)
    ))
}

/// `/js/iamport.payment-{version}.js`, the legacy path.
async fn legacy_script(
    Extract(shared): Extract<Arc<Shared>>,
    Path(file): Path<String>,
) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    match file.starts_with("iamport.payment-") && file.ends_with(".js") {
        true => javascript(script_text(&shared)),
        false => (StatusCode::NOT_FOUND, "not a script the fake serves").into_response(),
    }
}

/// CORS: the page and the fake are different origins; the page's origin
/// is echoed, for POSTs with a JSON body.
fn cors(headers: &HeaderMap, mut response: Response) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

async fn preflight(Extract(shared): Extract<Arc<Shared>>, headers: HeaderMap) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    cors(&headers, StatusCode::NO_CONTENT.into_response())
}

#[derive(Deserialize)]
struct OpenRequest {
    kind: String,
    params: Map<String, Value>,
    mobile: bool,
    callback: bool,
    origin: String,
}

/// An answer given without a window: the callback object, and the
/// redirect it becomes on mobile without a callback.
fn refused(request: &OpenRequest, object: Value, shared: &Shared) -> Value {
    let merchant_uid = object["merchant_uid"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let code = object
        .get("error_code")
        .or_else(|| object.get("error_coe"))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    shared.window_event(WindowEvent::Refused {
        merchant_uid,
        error_code: code,
    });
    let redirect = redirect_url(&request.params, &object);
    json!({
        "answer": {
            "callback": object,
            "redirect": redirect,
            "navigate": request.mobile && !request.callback,
        }
    })
}

async fn open(Extract(shared): Extract<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    let plan = match serde_json::from_slice::<OpenRequest>(&body) {
        Ok(request) => plan(&shared, request),
        Err(e) => json!({ "answer": { "callback": {
            "success": false, "error_code": "FAKE_BAD_REQUEST",
            "error_msg": format!("[FAKE] the stand-in's request is malformed: {e}"),
        }}}),
    };
    cors(&headers, json_response(200, plan.to_string()))
}

fn plan(shared: &Shared, request: OpenRequest) -> Value {
    let params = &request.params;
    let kind = match request.kind.as_str() {
        "certification" => Kind::Certification,
        _ => Kind::Payment,
    };
    let merchant_uid = match params.get("merchant_uid").and_then(Value::as_str) {
        Some(m) if !m.is_empty() => m.to_owned(),
        // The SDK's own default.
        _ => format!("nobody_{}", shared.lock().now() * 1000),
    };
    let failure = |code: &str, message: String| {
        json!({
            "success": false,
            "imp_uid": null,
            "merchant_uid": merchant_uid,
            "error_code": code,
            "error_msg": message,
        })
    };
    let pg_param = params.get("pg").and_then(Value::as_str).unwrap_or_default();
    let code = match kind {
        Kind::Certification if pg_param.is_empty() => "danal".to_owned(),
        _ => pg_param
            .parse::<PgProvider>()
            .map(|p| p.to_string())
            .unwrap_or_default(),
    };
    let configured = shared.windows().configured.clone();
    if configured.as_ref().is_some_and(Vec::is_empty) {
        // The SDK's answer when the console has no PG at all.
        let answer = failure(
            "NOT_READY",
            "등록 된 PG 설정 정보를 찾을 수 없습니다.".to_owned(),
        );
        return refused(&request, answer, shared);
    }
    if code.is_empty() {
        let answer = failure(
            "FAKE_NO_PG",
            "[FAKE] give `pg`: the fake has no console default PG".to_owned(),
        );
        return refused(&request, answer, shared);
    }
    let known =
        kind == Kind::Certification || PgProvider::from_code(&code).payment_schema().is_some();
    if !known || configured.is_some_and(|c| !c.contains(&code)) {
        // The real SDK's answer, its `error_coe` typo included.
        let answer = json!({
            "imp_success": false,
            "imp_uid": null,
            "merchant_uid": merchant_uid,
            "error_coe": "F1001",
            "error_msg": "등록되지 않은 PG모듈 정보입니다. 아임포트 관리자페이지에서 PG모듈 정보를 설정하신 후 다시 시도해주세요.",
        });
        return refused(&request, answer, shared);
    }
    let amount = match (kind, params.get("amount")) {
        (Kind::Certification, _) => Amount::from(0),
        (_, Some(value)) => match serde_json::from_value::<Amount>(value.clone()) {
            Ok(amount) if !amount.is_negative() => amount,
            _ => {
                let answer = failure(
                    "FAKE_AMOUNT",
                    "[FAKE] `amount` is not a non-negative decimal".into(),
                );
                return refused(&request, answer, shared);
            }
        },
        (_, None) => {
            let answer = failure("FAKE_AMOUNT", "[FAKE] `amount` is required".into());
            return refused(&request, answer, shared);
        }
    };
    let method = params
        .get("pay_method")
        .and_then(Value::as_str)
        .unwrap_or("card");
    let Some(pay_method) = PAY_METHODS.iter().copied().find(|m| *m == method) else {
        let answer = failure(
            "FAKE_PAY_METHOD",
            format!("[FAKE] pay_method {method:?} is not one the fake makes payments of"),
        );
        return refused(&request, answer, shared);
    };
    if kind == Kind::Payment {
        let state = shared.lock();
        if state
            .payments
            .values()
            .any(|p| p.merchant_uid == merchant_uid && p.status == "paid")
        {
            let answer = failure("F1002", "이미 결제가 이루어진 거래건입니다.".into());
            drop(state);
            return refused(&request, answer, shared);
        }
        if let Some(prepared) = state.prepared_amount(&merchant_uid)
            && prepared != amount
        {
            drop(state);
            let answer = failure(
                "FAKE_PREPARED_AMOUNT",
                format!("[FAKE] 사전 등록된 금액({prepared})과 결제 금액({amount})이 다릅니다."),
            );
            return refused(&request, answer, shared);
        }
    }
    // The PG's window, from its schema file's [window] table: an overlay
    // on a desktop and a redirect on a phone unless the PG's guide says
    // otherwise. A certification is a popup on a desktop.
    let rule = match kind {
        Kind::Certification => PaymentWindow {
            pc: WindowMode::Popup,
            mobile: WindowMode::Redirect,
            popup_param: None,
            redirect_flag: "imp_success",
        },
        Kind::Payment => PgProvider::from_code(&code)
            .payment_window()
            .unwrap_or(PaymentWindow {
                pc: WindowMode::Iframe,
                mobile: WindowMode::Redirect,
                popup_param: None,
                redirect_flag: "imp_success",
            }),
    };
    let popup_asked = rule
        .popup_param
        .is_some_and(|p| params.get(p).and_then(Value::as_bool) == Some(true));
    let has_redirect = params
        .get("m_redirect_url")
        .and_then(Value::as_str)
        .is_some();
    let mode = match rule.mode(request.mobile, popup_asked) {
        WindowMode::Popup => "popup",
        WindowMode::Redirect if has_redirect => "redirect",
        // A phone's page that gave a callback and no m_redirect_url is
        // answered through the callback.
        WindowMode::Redirect if request.mobile && request.callback => "iframe",
        WindowMode::Redirect => {
            let answer = failure(
                "FAKE_NO_REDIRECT",
                "[FAKE] m_redirect_url is required: this window redirects the page".into(),
            );
            return refused(&request, answer, shared);
        }
        _ => "iframe",
    };
    let mut windows = shared.windows();
    windows.next += 1;
    let id = format!("w{}", windows.next);
    windows.open.insert(
        id.clone(),
        Window {
            kind,
            code,
            params: request.params.clone(),
            merchant_uid: merchant_uid.clone(),
            amount,
            pay_method,
            mode,
            origin: request.origin.clone(),
            answer: None,
            held: None,
        },
    );
    windows
        .events
        .push(WindowEvent::Opened { merchant_uid, mode });
    drop(windows);
    shared.events.notify_waiters();
    json!({
        "id": id,
        "mode": mode,
        "url": format!("{}/__fake/window/{id}", shared.origin()),
    })
}

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

/// Makes the window's payment (once) and renders what the page receives,
/// with the webhook to send and when.
fn answer(
    shared: &Arc<Shared>,
    id: &str,
    decision: Decision,
) -> Option<(Value, Option<(WebhookStatus, WindowWebhook)>)> {
    let mut windows = shared.windows();
    let (profile, success_flag, policy, sandbox) = (
        windows.profile,
        windows.success_flag,
        windows.webhook,
        windows.sandbox,
    );
    let window = windows.open.get_mut(id)?;
    if let Some(answer) = &window.answer {
        return Some((answer.clone(), None));
    }
    let (callback, imp_uid, webhook) = match window.kind {
        Kind::Certification => certify(shared, window, decision),
        Kind::Payment => pay(shared, window, decision, profile, success_flag, sandbox),
    };
    let answer = json!({
        "callback": callback,
        "redirect": redirect_url(&window.params, &callback),
        "navigate": window.mode == "redirect",
    });
    window.answer = Some(answer.clone());
    let merchant_uid = window.merchant_uid.clone();
    windows.events.push(WindowEvent::Decided {
        merchant_uid,
        imp_uid,
        decision,
    });
    drop(windows);
    shared.events.notify_waiters();
    Some((answer, webhook.map(|status| (status, policy))))
}

/// The payment a decision makes, and the callback object its PG sends.
fn pay(
    shared: &Shared,
    window: &Window,
    decision: Decision,
    profile: Profile,
    success_flag: bool,
    sandbox: bool,
) -> (Value, Option<String>, Option<WebhookStatus>) {
    let params = &window.params;
    let kind = match (decision, window.pay_method) {
        (Decision::Approve, "vbank") => PaymentKind::VbankReady,
        (Decision::Approve, _) => PaymentKind::Paid,
        _ => PaymentKind::Failed,
    };
    let mut new =
        NewPayment::new(kind, &window.merchant_uid, window.amount).pg_provider(&window.code);
    new.pay_method = window.pay_method;
    new.sandbox = sandbox;
    if let Some(name) = params.get("name").and_then(Value::as_str) {
        new.name = name.to_owned();
    }
    if let Some(currency) = params.get("currency").and_then(Value::as_str) {
        new.currency = currency.to_owned();
    }
    let reason = match decision {
        Decision::Approve => None,
        Decision::Decline => Some("[FAKE] 카드사 승인 거절"),
        Decision::Cancel => Some("[FAKE] 사용자가 결제를 취소하셨습니다"),
    };
    let mut state = shared.lock();
    let made = state.create(new).and_then(|imp_uid| {
        let payment = state.payments.get_mut(&imp_uid).ok_or("lost the payment")?;
        if let Some(reason) = reason {
            payment.fail_reason = Some(reason.to_owned());
        }
        // `notice_url`, a string or a list (the first is used), sends this
        // payment's webhooks there instead of the console's URL.
        payment.notice_url = match params.get("notice_url") {
            Some(Value::String(url)) => Some(url.clone()),
            Some(Value::Array(urls)) => urls.first().and_then(Value::as_str).map(str::to_owned),
            _ => None,
        };
        Ok::<_, String>(payment.clone())
    });
    drop(state);
    let payment = match made {
        Ok(payment) => payment,
        Err(message) => {
            let object = json!({
                "success": false,
                "imp_uid": null,
                "merchant_uid": window.merchant_uid,
                "error_code": "FAKE_REFUSED",
                "error_msg": format!("[FAKE] {message}"),
            });
            return (object, None, None);
        }
    };
    let schema = PgProvider::from_code(&window.code)
        .payment_schema()
        .unwrap_or_default();
    let success = decision == Decision::Approve;
    // A failure says `success: false` where the flag decides; the
    // new-module PGs' failures carry only the ids and the error pair.
    let flag_pg = PgProvider::from_code(&window.code).success_rule() == Some(SuccessRule::Flag);
    let observed = observed::OBSERVED
        .iter()
        .find(|(pg, ok, _)| *pg == window.code && *ok == success)
        .map(|(_, _, keys)| *keys);
    let mut object = Map::new();
    for field in schema {
        let promised = match field.presence {
            Presence::Always => true,
            Presence::OnSuccess => success,
            _ => false,
        };
        let flag = field.name == "success" && (success_flag || (!success && flag_pg));
        let error = !success && matches!(field.name, "error_code" | "error_msg" | "imp_uid");
        let seen =
            profile == Profile::Observed && observed.is_some_and(|keys| keys.contains(&field.name));
        let wanted = promised || flag || error || seen || profile == Profile::All;
        if !wanted {
            continue;
        }
        if let Some(value) = property(field.name, &payment, params, success) {
            object.insert(field.name.to_owned(), value);
        }
    }
    let webhook = success.then(|| WebhookStatus::of(&payment));
    (Value::Object(object), Some(payment.imp_uid), webhook)
}

/// A callback property's value for the stored payment; `None` for one the
/// fake has nothing to say of.
fn property(name: &str, p: &Payment, params: &Map<String, Value>, success: bool) -> Option<Value> {
    let param = |key: &str| params.get(key).filter(|v| !v.is_null()).cloned();
    let set = |at: i64| (at != 0).then(|| json!(at));
    Some(match name {
        "success" => json!(success),
        "imp_uid" => json!(p.imp_uid),
        "merchant_uid" => json!(p.merchant_uid),
        "pg_provider" => json!(p.pg_provider),
        "pg_type" => json!("payment"),
        "pg_tid" => json!(p.pg_tid),
        "pay_method" => json!(p.pay_method),
        "name" => json!(p.name),
        "paid_amount" => serde_json::to_value(p.amount).ok()?,
        "currency" => json!(p.currency),
        "status" => json!(p.status),
        "paid_at" => set(p.paid_at)?,
        "receipt_url" => json!(p.receipt_url),
        "apply_num" if success && p.pay_method == "card" => json!("30000000"),
        "card_name" if p.pay_method == "card" => json!("[FAKE] 카드"),
        "card_quota" if p.pay_method == "card" => json!(0),
        "custom_data" => param("custom_data")?,
        "buyer_name" | "buyer_email" | "buyer_tel" | "buyer_addr" | "buyer_postcode" => {
            param(name)?
        }
        "vbank_num" => json!(p.vbank_num.as_ref()?),
        "vbank_name" => json!(p.vbank_name?),
        "vbank_holder" => json!(p.vbank_holder.as_ref()?),
        "vbank_date" => set(p.vbank_date)?,
        "vbank_code" => json!(p.vbank_code?),
        "error_code" if !success => json!("F400"),
        "error_msg" if !success => json!(p.fail_reason.as_ref()?),
        _ => return None,
    })
}

/// An identity verification: approved, it is stored for
/// `GET /certifications/{imp_uid}`.
fn certify(
    shared: &Shared,
    window: &Window,
    decision: Decision,
) -> (Value, Option<String>, Option<WebhookStatus>) {
    if decision != Decision::Approve {
        let object = json!({
            "success": false,
            "imp_uid": null,
            "merchant_uid": window.merchant_uid,
            "error_code": "F400",
            "error_msg": "[FAKE] 본인인증을 취소하셨습니다",
        });
        return (object, None, None);
    }
    let imp_uid = shared
        .lock()
        .certify(&window.merchant_uid, "[FAKE] 홍길동", "01000000000");
    let object = json!({
        "success": true,
        "imp_uid": imp_uid,
        "merchant_uid": window.merchant_uid,
        "pg_provider": "danal",
        "pg_type": "certification",
    });
    (object, Some(imp_uid), None)
}

/// `m_redirect_url` with the result's query: `imp_uid`, `merchant_uid`,
/// the flag (`imp_success`, or the name the PG's window table gives), and
/// on failure the error pair.
fn redirect_url(params: &Map<String, Value>, callback: &Value) -> Option<String> {
    let base = params.get("m_redirect_url")?.as_str()?;
    let text = |key: &str| {
        callback
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
    };
    let success = callback
        .get("success")
        .or_else(|| callback.get("imp_success"))
        .and_then(Value::as_bool)
        .unwrap_or_else(|| callback.get("error_msg").is_none() && !text("imp_uid").is_empty());
    // The flag's name is the PG's window table's (`imp_status` for KCP
    // Quick Pay, which also echoes the window type it was asked for).
    let flag = params
        .get("pg")
        .and_then(Value::as_str)
        .and_then(|pg| pg.parse::<PgProvider>().ok())
        .and_then(|pg| pg.payment_window())
        .map_or("imp_success", |w| w.redirect_flag);
    let mut pairs = vec![
        ("imp_uid", text("imp_uid").to_owned()),
        ("merchant_uid", text("merchant_uid").to_owned()),
        (flag, success.to_string()),
    ];
    if let Some(action) = params
        .get("bypass")
        .and_then(|b| b.get("kcpQuick"))
        .and_then(|k| k.get("actionType"))
        .and_then(Value::as_str)
    {
        pairs.push(("kcp_action", action.to_owned()));
    }
    if !success {
        let code = callback
            .get("error_code")
            .or_else(|| callback.get("error_coe"))
            .and_then(Value::as_str)
            .unwrap_or_default();
        pairs.push(("error_code", code.to_owned()));
        pairs.push(("error_msg", text("error_msg").to_owned()));
    }
    let query = serde_urlencoded::to_string(&pairs).ok()?;
    let separator = if base.contains('?') { '&' } else { '?' };
    Some(format!("{base}{separator}{query}"))
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
