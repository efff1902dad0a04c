//! The inputs, the baselines and the list of every measured parse, shared by
//! the criterion bench (`dispatch.rs`) and `repeat.rs` (instruction counts
//! and paired time ratios), so that both measure exactly the same code.

use portone_pg::pg;
use serde::Deserialize;
use serde_json::Value;

pub const KCP: &[u8] = include_bytes!("../tests/fixtures/callbacks/kcp_card_paid_docs.json");
pub const THIN: &[u8] = include_bytes!("../tests/fixtures/callbacks/tosspay_v2_user_cancel.json");
pub const THIN_PG: &str = "tosspay_v2.tosspaytest";
/// A new-module success callback: the two ids and nothing else.
pub const TWO_KEY: &[u8] = br#"{"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004"}"#;
pub const TWO_KEY_PG: &str = "tosspayments";
pub const REDIRECT: &str =
    include_str!("../tests/fixtures/redirects/kcp_mobile_vbank_issued.query").trim_ascii_end();
pub const REDIRECT_PG: &str = "kcp";
pub const REST: &[u8] = include_bytes!("../tests/fixtures/rest/nice_point_cancelled_2022.json");

/// The KCP docs object with a code no schema file has.
pub fn unknown_pg() -> Vec<u8> {
    let text = std::str::from_utf8(KCP).expect("fixture is UTF-8");
    let text = text.replacen(r#""pg_provider": "kcp""#, r#""pg_provider": "newpg""#, 1);
    assert!(text.contains("newpg"));
    text.into_bytes()
}

// ---- baselines: strict plain structs ----

/// The 24 keys of a legacy callback, strictly typed.
#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainCallback {
    apply_num: Option<String>,
    bank_name: Option<String>,
    buyer_addr: Option<String>,
    buyer_email: Option<String>,
    buyer_name: Option<String>,
    buyer_postcode: Option<String>,
    buyer_tel: Option<String>,
    card_name: Option<String>,
    card_number: Option<String>,
    card_quota: Option<u32>,
    currency: Option<String>,
    custom_data: Option<Value>,
    imp_uid: Option<String>,
    merchant_uid: String,
    name: Option<String>,
    paid_amount: Option<u64>,
    paid_at: Option<i64>,
    pay_method: Option<String>,
    pg_provider: Option<String>,
    pg_tid: Option<String>,
    pg_type: Option<String>,
    receipt_url: Option<String>,
    status: Option<String>,
    success: Option<bool>,
}

/// The four keys of a new-module callback.
#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainThin {
    imp_uid: Option<String>,
    merchant_uid: String,
    error_code: Option<String>,
    error_msg: Option<String>,
}

/// The two keys of a new-module success callback.
#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainTwoKey {
    imp_uid: Option<String>,
    merchant_uid: String,
}

/// A redirect's three keys, read by serde_urlencoded (strings parse as bool).
#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainRedirect {
    imp_uid: Option<String>,
    merchant_uid: String,
    imp_success: Option<bool>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainEnvelope {
    code: i64,
    message: Option<String>,
    response: Option<PlainPayment>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainCancellation {
    pg_tid: String,
    amount: u64,
    cancelled_at: i64,
    reason: Option<String>,
    receipt_url: Option<String>,
    cancellation_id: Option<String>,
}

/// Every key of the REST fixture (47), strictly typed.
#[allow(dead_code)]
#[derive(Deserialize)]
pub struct PlainPayment {
    amount: u64,
    apply_num: Option<String>,
    bank_code: Option<String>,
    bank_name: Option<String>,
    buyer_addr: Option<String>,
    buyer_email: Option<String>,
    buyer_name: Option<String>,
    buyer_postcode: Option<String>,
    buyer_tel: Option<String>,
    cancel_amount: Option<u64>,
    cancel_history: Option<Vec<PlainCancellation>>,
    cancel_reason: Option<String>,
    cancel_receipt_urls: Option<Vec<String>>,
    cancelled_at: Option<i64>,
    card_code: Option<String>,
    card_name: Option<String>,
    card_number: Option<String>,
    card_quota: Option<u32>,
    card_type: Option<i32>,
    cash_receipt_issued: Option<bool>,
    channel: Option<String>,
    currency: Option<String>,
    custom_data: Option<Value>,
    customer_uid: Option<String>,
    customer_uid_usage: Option<String>,
    emb_pg_provider: Option<String>,
    escrow: Option<bool>,
    fail_reason: Option<String>,
    failed_at: Option<i64>,
    imp_uid: String,
    merchant_uid: String,
    name: Option<String>,
    paid_at: Option<i64>,
    pay_method: Option<String>,
    pg_id: Option<String>,
    pg_provider: Option<String>,
    pg_tid: Option<String>,
    receipt_url: Option<String>,
    started_at: Option<i64>,
    status: String,
    user_agent: Option<String>,
    vbank_code: Option<String>,
    vbank_date: Option<i64>,
    vbank_holder: Option<String>,
    vbank_issued_at: Option<i64>,
    vbank_name: Option<String>,
    vbank_num: Option<String>,
}

// ---- baselines: other ways to dispatch to the same portone-pg types ----

/// serde's internally tagged enum over a few of portone-pg's PG types.
#[allow(dead_code, clippy::large_enum_variant)]
#[derive(Deserialize)]
#[serde(tag = "pg_provider")]
pub enum Tagged {
    #[serde(rename = "kcp")]
    Kcp(pg::Kcp),
    #[serde(rename = "html5_inicis")]
    Html5Inicis(pg::Html5Inicis),
    #[serde(rename = "nice")]
    Nice(pg::Nice),
    #[serde(rename = "kakaopay")]
    Kakaopay(pg::Kakaopay),
    #[serde(rename = "tosspay_v2")]
    TosspayV2(pg::TosspayV2),
    /// An internally tagged enum cannot keep the object of an unknown tag.
    #[serde(other)]
    Other,
}

/// `Value`, then the tag (from the body or the request's `pg`), then `from_value`.
pub fn value_then_from_value(
    json: &[u8],
    pg: Option<&str>,
) -> Result<Box<dyn std::any::Any>, serde_json::Error> {
    let value: Value = serde_json::from_slice(json)?;
    value_dispatch(value, pg)
}

pub fn value_dispatch(
    value: Value,
    pg: Option<&str>,
) -> Result<Box<dyn std::any::Any>, serde_json::Error> {
    let tag = value
        .get("pg_provider")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let code = tag
        .as_deref()
        .or(pg.map(|pg| pg.split('.').next().unwrap_or(pg)));
    Ok(match code {
        Some("kcp") => Box::new(serde_json::from_value::<pg::Kcp>(value)?),
        Some("tosspay_v2") => Box::new(serde_json::from_value::<pg::TosspayV2>(value)?),
        Some("tosspayments") => Box::new(serde_json::from_value::<pg::Tosspayments>(value)?),
        // Unknown PG: the Value is the result.
        _ => Box::new(value),
    })
}

/// The body of `unknown_pg`, built once.
pub static UNKNOWN: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(unknown_pg);

/// Calls `$callback!` with every group: its name, the bytes it reads, and
/// each measured parse as `name: expression` (`portone_pg` first, then
/// diagnostics and baselines).
macro_rules! for_each_case {
    ($callback:ident) => {
        $callback! {
            full_callback_kcp(KCP.len()) {
                portone_pg: PaymentResponse::from_json(black_box(KCP)).unwrap(),
                plain_derive: serde_json::from_slice::<PlainCallback>(black_box(KCP)).unwrap(),
                plain_derive_str: {
                    let text = std::str::from_utf8(black_box(KCP)).unwrap();
                    serde_json::from_str::<PlainCallback>(text).unwrap()
                },
                tagged_enum: serde_json::from_slice::<Tagged>(black_box(KCP)).unwrap(),
                value_then_from_value: value_then_from_value(black_box(KCP), None).unwrap(),
            }
            thin_callback_tosspay_v2(THIN.len()) {
                portone_pg: PaymentResponse::from_json_with_pg(black_box(THIN_PG), black_box(THIN)).unwrap(),
                portone_pg_typed_only: serde_json::from_str::<pg::TosspayV2>(
                    std::str::from_utf8(black_box(THIN)).unwrap(),
                )
                .unwrap(),
                plain_derive: serde_json::from_slice::<PlainThin>(black_box(THIN)).unwrap(),
                plain_derive_str: {
                    let text = std::str::from_utf8(black_box(THIN)).unwrap();
                    serde_json::from_str::<PlainThin>(text).unwrap()
                },
                // No tagged_enum: a new-module body carries no pg_provider to tag on.
                value_then_from_value: value_then_from_value(black_box(THIN), Some(black_box(THIN_PG))).unwrap(),
            }
            thin_success_tosspayments(TWO_KEY.len()) {
                portone_pg: PaymentResponse::from_json_with_pg(black_box(TWO_KEY_PG), black_box(TWO_KEY)).unwrap(),
                portone_pg_typed_only: serde_json::from_str::<pg::Tosspayments>(
                    std::str::from_utf8(black_box(TWO_KEY)).unwrap(),
                )
                .unwrap(),
                plain_derive: serde_json::from_slice::<PlainTwoKey>(black_box(TWO_KEY)).unwrap(),
                // Diagnostics: each result read where it was returned, so
                // that moving it out of the `Result` (816 bytes for a
                // `PaymentResponse`, 48 for the derived struct) is not counted.
                portone_pg_in_place: {
                    let response = PaymentResponse::from_json_with_pg(black_box(TWO_KEY_PG), black_box(TWO_KEY));
                    black_box(&response);
                },
                plain_derive_in_place: {
                    let plain = serde_json::from_slice::<PlainTwoKey>(black_box(TWO_KEY));
                    black_box(&plain);
                },
                plain_derive_str: {
                    let text = std::str::from_utf8(black_box(TWO_KEY)).unwrap();
                    serde_json::from_str::<PlainTwoKey>(text).unwrap()
                },
                value_then_from_value: value_then_from_value(black_box(TWO_KEY), Some(black_box(TWO_KEY_PG))).unwrap(),
            }
            unknown_pg(UNKNOWN.len()) {
                portone_pg: PaymentResponse::from_json(black_box(UNKNOWN.as_slice())).unwrap(),
                // Diagnostic: keeping every key alone, without the typed attempt.
                portone_pg_keep_only: portone_pg::__private::parse_unknown::<PaymentResponse>(black_box(UNKNOWN.as_slice()), None).unwrap(),
                plain_derive: serde_json::from_slice::<PlainCallback>(black_box(UNKNOWN.as_slice())).unwrap(),
                tagged_enum: serde_json::from_slice::<Tagged>(black_box(UNKNOWN.as_slice())).unwrap(),
                value_then_from_value: value_then_from_value(black_box(UNKNOWN.as_slice()), None).unwrap(),
            }
            redirect_query(REDIRECT.len()) {
                portone_pg: PaymentResponse::from_query_with_pg(black_box(REDIRECT_PG), black_box(REDIRECT)).unwrap(),
                portone_pg_redirect_result: RedirectResult::from_query(black_box(REDIRECT)).unwrap(),
                plain_derive: serde_urlencoded::from_str::<PlainRedirect>(black_box(REDIRECT)).unwrap(),
                value_then_from_value: {
                    let pairs: serde_json::Map<String, Value> =
                        serde_urlencoded::from_str::<Vec<(String, String)>>(black_box(REDIRECT))
                            .unwrap()
                            .into_iter()
                            .map(|(k, v)| (k, Value::String(v)))
                            .collect();
                    value_dispatch(Value::Object(pairs), Some(REDIRECT_PG)).unwrap()
                },
            }
            rest_payment(REST.len()) {
                portone_pg: ApiResponse::<Payment>::from_json(black_box(REST)).unwrap(),
                plain_derive: serde_json::from_slice::<PlainEnvelope>(black_box(REST)).unwrap(),
                // No tagged_enum: the REST object is one type for every PG.
                value_then_from_value: {
                    let value: Value = serde_json::from_slice(black_box(REST)).unwrap();
                    serde_json::from_value::<ApiResponse<Payment>>(value).unwrap()
                },
            }
        }
    };
}
pub(crate) use for_each_case;
