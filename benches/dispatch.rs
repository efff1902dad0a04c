//! portone-pg's parses against four baselines measured in the same run:
//!
//! - `plain_derive`: a `#[derive(Deserialize)]` struct with the same keys and
//!   strict types (`u64` amounts, `bool` flags, no leniency, unknown keys
//!   dropped) — the practical limit of a serde parse;
//! - `plain_derive_str`: the same, parsed with `from_str` after one UTF-8
//!   check of the whole body (the trick portone-pg uses too);
//! - `tagged_enum`: serde's internally tagged enum over portone-pg's PG
//!   types (the whole object is buffered, then parsed again);
//! - `value_then_from_value`: `serde_json::Value`, read the tag, then
//!   `serde_json::from_value` into the same portone-pg type.
//!
//! `cargo bench -p portone-pg-benches --bench dispatch`; BENCHMARKS.md explains
//! how the ratios are read off the output.

use std::hint::black_box;

use criterion::{
    BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main, measurement::WallTime,
};
use portone_pg::rest::{ApiResponse, Payment};
use portone_pg::{PaymentResponse, RedirectResult, pg};
use serde::Deserialize;
use serde_json::Value;

const KCP: &[u8] = include_bytes!("../tests/fixtures/callbacks/kcp_card_paid_docs.json");
const THIN: &[u8] = include_bytes!("../tests/fixtures/callbacks/tosspay_v2_user_cancel.json");
const THIN_PG: &str = "tosspay_v2.tosspaytest";
/// A new-module success callback: the two ids and nothing else.
const TWO_KEY: &[u8] = br#"{"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004"}"#;
const TWO_KEY_PG: &str = "tosspayments";
const REDIRECT: &str =
    include_str!("../tests/fixtures/redirects/kcp_mobile_vbank_issued.query").trim_ascii_end();
const REDIRECT_PG: &str = "kcp";
const REST: &[u8] = include_bytes!("../tests/fixtures/rest/nice_point_cancelled_2022.json");

/// The KCP docs object with a code no schema file has.
fn unknown_pg() -> Vec<u8> {
    let text = std::str::from_utf8(KCP).expect("fixture is UTF-8");
    let text = text.replacen(r#""pg_provider": "kcp""#, r#""pg_provider": "newpg""#, 1);
    assert!(text.contains("newpg"));
    text.into_bytes()
}

// ---- baselines: strict plain structs ----

/// The 24 keys of a legacy callback, strictly typed.
#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainCallback {
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
struct PlainThin {
    imp_uid: Option<String>,
    merchant_uid: String,
    error_code: Option<String>,
    error_msg: Option<String>,
}

/// The two keys of a new-module success callback.
#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainTwoKey {
    imp_uid: Option<String>,
    merchant_uid: String,
}

/// A redirect's three keys, read by serde_urlencoded (strings parse as bool).
#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainRedirect {
    imp_uid: Option<String>,
    merchant_uid: String,
    imp_success: Option<bool>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainEnvelope {
    code: i64,
    message: Option<String>,
    response: Option<PlainPayment>,
}

#[allow(dead_code)]
#[derive(Deserialize)]
struct PlainCancellation {
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
struct PlainPayment {
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
enum Tagged {
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
fn value_then_from_value(
    json: &[u8],
    pg: Option<&str>,
) -> Result<Box<dyn std::any::Any>, serde_json::Error> {
    let value: Value = serde_json::from_slice(json)?;
    value_dispatch(value, pg)
}

fn value_dispatch(
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

fn group<'a>(c: &'a mut Criterion, name: &str, bytes: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group.throughput(Throughput::Bytes(bytes as u64));
    group
}

fn full_callback(c: &mut Criterion) {
    let mut g = group(c, "full_callback_kcp", KCP.len());
    g.bench_function("portone_pg", |b| {
        b.iter(|| PaymentResponse::from_json(black_box(KCP)).unwrap())
    });
    g.bench_function("plain_derive", |b| {
        b.iter(|| serde_json::from_slice::<PlainCallback>(black_box(KCP)).unwrap())
    });
    g.bench_function("plain_derive_str", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(KCP)).unwrap();
            serde_json::from_str::<PlainCallback>(text).unwrap()
        })
    });
    g.bench_function("tagged_enum", |b| {
        b.iter(|| serde_json::from_slice::<Tagged>(black_box(KCP)).unwrap())
    });
    g.bench_function("value_then_from_value", |b| {
        b.iter(|| value_then_from_value(black_box(KCP), None).unwrap())
    });
    g.finish();
}

fn thin_callback(c: &mut Criterion) {
    let mut g = group(c, "thin_callback_tosspay_v2", THIN.len());
    g.bench_function("portone_pg", |b| {
        b.iter(|| PaymentResponse::from_json_with_pg(black_box(THIN_PG), black_box(THIN)).unwrap())
    });
    g.bench_function("portone_pg_typed_only", |b| {
        b.iter(|| {
            serde_json::from_str::<pg::TosspayV2>(std::str::from_utf8(black_box(THIN)).unwrap())
                .unwrap()
        })
    });
    g.bench_function("plain_derive", |b| {
        b.iter(|| serde_json::from_slice::<PlainThin>(black_box(THIN)).unwrap())
    });
    g.bench_function("plain_derive_str", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(THIN)).unwrap();
            serde_json::from_str::<PlainThin>(text).unwrap()
        })
    });
    // No tagged_enum: a new-module body carries no pg_provider to tag on.
    g.bench_function("value_then_from_value", |b| {
        b.iter(|| value_then_from_value(black_box(THIN), Some(black_box(THIN_PG))).unwrap())
    });
    g.finish();
}

fn two_key_success(c: &mut Criterion) {
    let mut g = group(c, "thin_success_tosspayments", TWO_KEY.len());
    g.bench_function("portone_pg", |b| {
        b.iter(|| {
            PaymentResponse::from_json_with_pg(black_box(TWO_KEY_PG), black_box(TWO_KEY)).unwrap()
        })
    });
    g.bench_function("portone_pg_typed_only", |b| {
        b.iter(|| {
            serde_json::from_str::<pg::Tosspayments>(
                std::str::from_utf8(black_box(TWO_KEY)).unwrap(),
            )
            .unwrap()
        })
    });
    g.bench_function("plain_derive", |b| {
        b.iter(|| serde_json::from_slice::<PlainTwoKey>(black_box(TWO_KEY)).unwrap())
    });
    g.bench_function("plain_derive_str", |b| {
        b.iter(|| {
            let text = std::str::from_utf8(black_box(TWO_KEY)).unwrap();
            serde_json::from_str::<PlainTwoKey>(text).unwrap()
        })
    });
    g.bench_function("value_then_from_value", |b| {
        b.iter(|| value_then_from_value(black_box(TWO_KEY), Some(black_box(TWO_KEY_PG))).unwrap())
    });
    g.finish();
}

fn unknown(c: &mut Criterion) {
    let body = unknown_pg();
    let mut g = group(c, "unknown_pg", body.len());
    g.bench_function("portone_pg", |b| {
        b.iter(|| PaymentResponse::from_json(black_box(&body)).unwrap())
    });
    // Diagnostic: keeping every key alone, without the typed attempt.
    g.bench_function("portone_pg_keep_only", |b| {
        b.iter(|| {
            portone_pg::__private::parse_unknown::<PaymentResponse>(black_box(&body), None).unwrap()
        })
    });
    g.bench_function("plain_derive", |b| {
        b.iter(|| serde_json::from_slice::<PlainCallback>(black_box(&body)).unwrap())
    });
    g.bench_function("tagged_enum", |b| {
        b.iter(|| serde_json::from_slice::<Tagged>(black_box(&body)).unwrap())
    });
    g.bench_function("value_then_from_value", |b| {
        b.iter(|| value_then_from_value(black_box(&body), None).unwrap())
    });
    g.finish();
}

fn redirect(c: &mut Criterion) {
    let mut g = group(c, "redirect_query", REDIRECT.len());
    g.bench_function("portone_pg", |b| {
        b.iter(|| {
            PaymentResponse::from_query_with_pg(black_box(REDIRECT_PG), black_box(REDIRECT))
                .unwrap()
        })
    });
    g.bench_function("portone_pg_redirect_result", |b| {
        b.iter(|| RedirectResult::from_query(black_box(REDIRECT)).unwrap())
    });
    g.bench_function("plain_derive", |b| {
        b.iter(|| serde_urlencoded::from_str::<PlainRedirect>(black_box(REDIRECT)).unwrap())
    });
    g.bench_function("value_then_from_value", |b| {
        b.iter(|| {
            let pairs: serde_json::Map<String, Value> =
                serde_urlencoded::from_str::<Vec<(String, String)>>(black_box(REDIRECT))
                    .unwrap()
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect();
            value_dispatch(Value::Object(pairs), Some(REDIRECT_PG)).unwrap()
        })
    });
    g.finish();
}

fn rest(c: &mut Criterion) {
    let mut g = group(c, "rest_payment", REST.len());
    g.bench_function("portone_pg", |b| {
        b.iter(|| ApiResponse::<Payment>::from_json(black_box(REST)).unwrap())
    });
    g.bench_function("plain_derive", |b| {
        b.iter(|| serde_json::from_slice::<PlainEnvelope>(black_box(REST)).unwrap())
    });
    // No tagged_enum: the REST object is one type for every PG.
    g.bench_function("value_then_from_value", |b| {
        b.iter(|| {
            let value: Value = serde_json::from_slice(black_box(REST)).unwrap();
            serde_json::from_value::<ApiResponse<Payment>>(value).unwrap()
        })
    });
    g.finish();
}

criterion_group!(
    benches,
    full_callback,
    thin_callback,
    two_key_success,
    unknown,
    redirect,
    rest
);
criterion_main!(benches);
