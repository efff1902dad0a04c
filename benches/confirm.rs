//! `Client::confirm` against the same HTTP requests made directly with
//! reqwest, both on the fake V1 API over 127.0.0.1, both parsing the body
//! with `ApiResponse::<Payment>` and verifying it.
//!
//! - `confirm_warm`: the token is cached; one `GET /payments/{imp_uid}`.
//! - `confirm_cold`: a fresh client (built outside the timing) makes both
//!   requests: `POST /users/getToken`, then the lookup.
//!
//! `cargo bench -p portone-pg-benches --bench confirm`, then
//! `python3 benches/summarize.py` prints the ratios.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use portone_pg::Amount;
use portone_pg::client::Client;
use portone_pg::rest::{ApiResponse, Expected, Payment};
use portone_pg_fake::{FakeApi, NewPayment};
use serde::Deserialize;

#[derive(Deserialize)]
struct Token {
    access_token: String,
}

#[derive(Deserialize)]
struct TokenEnvelope {
    response: Token,
}

/// What a careful hand-written integration does: the token, the lookup,
/// the typed envelope, verify.
async fn raw_token(http: &reqwest::Client, base: &str, fake: &FakeApi) -> String {
    let body = format!(
        r#"{{"imp_key":"{}","imp_secret":"{}"}}"#,
        fake.key(),
        fake.secret()
    );
    let reply = http
        .post(format!("{base}/users/getToken"))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let bytes = reply.bytes().await.unwrap();
    serde_json::from_slice::<TokenEnvelope>(&bytes)
        .unwrap()
        .response
        .access_token
}

async fn raw_confirm(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    imp_uid: &str,
    expected: &Expected,
) {
    let reply = http
        .get(format!("{base}/payments/{imp_uid}?include_sandbox=true"))
        .header("authorization", format!("Bearer {token}"))
        .send()
        .await
        .unwrap();
    let bytes = reply.bytes().await.unwrap();
    let payment = ApiResponse::<Payment>::from_json(&bytes)
        .unwrap()
        .into_result()
        .unwrap();
    payment.verify(expected).unwrap();
}

fn confirm(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let fake = runtime
        .block_on(FakeApi::builder().max_requests(usize::MAX).start())
        .unwrap();
    let imp_uid = fake
        .create(NewPayment::paid("order-1", Amount::from(1004)))
        .unwrap();
    let expected = Expected::new("order-1", Amount::from(1004));
    let base = fake.url();
    let client = || {
        Client::builder(fake.key(), fake.secret())
            .base_url(&base)
            .build()
            .unwrap()
    };
    let raw_client = || reqwest::Client::builder().build().unwrap();

    let mut group = c.benchmark_group("confirm_warm");
    let warm = client();
    runtime.block_on(warm.confirm(&imp_uid, &expected)).unwrap();
    group.bench_function("portone_pg", |b| {
        b.iter(|| runtime.block_on(warm.confirm(&imp_uid, &expected)).unwrap());
    });
    let http = raw_client();
    let token = runtime.block_on(raw_token(&http, &base, &fake));
    group.bench_function("raw_reqwest", |b| {
        b.iter(|| runtime.block_on(raw_confirm(&http, &base, &token, &imp_uid, &expected)));
    });
    group.finish();

    let mut group = c.benchmark_group("confirm_cold");
    group.bench_function("portone_pg", |b| {
        b.iter_batched(
            client,
            |fresh| {
                runtime
                    .block_on(fresh.confirm(&imp_uid, &expected))
                    .unwrap()
            },
            BatchSize::SmallInput,
        );
    });
    group.bench_function("raw_reqwest", |b| {
        b.iter_batched(
            raw_client,
            |http| {
                runtime.block_on(async {
                    let token = raw_token(&http, &base, &fake).await;
                    raw_confirm(&http, &base, &token, &imp_uid, &expected).await;
                })
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}

criterion_group!(benches, confirm);
criterion_main!(benches);
