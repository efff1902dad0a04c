//! What a decided window answers: the payment made in the fake's store,
//! the callback object in the PG's shape, and the redirect it becomes.

use std::sync::Arc;

use portone_pg::{PgProvider, Presence, SuccessRule};
use serde_json::{Map, Value, json};

use super::{Decision, Kind, Profile, Window, WindowEvent, WindowWebhook, observed};
use crate::state::Payment;
use crate::webhook::WebhookStatus;
use crate::{NewPayment, PaymentKind, Shared};

/// Makes the window's payment (once) and renders what the page receives,
/// with the webhook to send and when.
pub(super) fn answer(
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
pub(super) fn redirect_url(params: &Map<String, Value>, callback: &Value) -> Option<String> {
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
