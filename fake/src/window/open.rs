//! Opening a window: the checks the real SDK makes before any window opens,
//! and the window's mode.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State as Extract;
use axum::http::HeaderMap;
use axum::response::Response;
use portone_pg::{PaymentWindow, PgProvider, WindowMode};
use portone_pg_core::Amount;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::answer::redirect_url;
use super::script::cors;
use super::{Kind, PAY_METHODS, Window, WindowEvent};
use crate::Shared;
use crate::routes::json_response;

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

pub(super) async fn open(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
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
