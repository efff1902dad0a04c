//! The fake payment window in real headless Chromium: a shop's page on
//! one 127.0.0.1 origin loads the SDK stand-in from the fake on another,
//! pays, and what the page receives is checked against the PG's schema
//! and the fake's own payment.
#![cfg(feature = "browser")]

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::Query;
use axum::response::Html;
use axum::routing::get;
use portone_pg::{PaymentResponse, PgProvider};
use portone_pg_core::Amount;
use portone_pg_fake::browser::{Agent, Browser};
use portone_pg_fake::{Decision, FakeApi, NewPayment, Profile, WindowEvent};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

/// The shop: `/pay?…` is a page that loads `sdk` and runs `script` on
/// load, keeping what the callback received in `window.result`; `/done`
/// is where a redirect lands.
async fn shop(sdk: &str) -> (SocketAddr, tokio::task::JoinHandle<()>) {
    let sdk = sdk.to_owned();
    let app = Router::new()
        .route(
            "/pay",
            get(move |Query(q): Query<std::collections::HashMap<String, String>>| {
                let sdk = q.get("sdk").cloned().unwrap_or_else(|| sdk.clone());
                let script = q.get("script").cloned().unwrap_or_default();
                async move {
                    Html(format!(
                        "<!doctype html><html><head><meta charset=utf-8><script src=\"{sdk}\"></script></head>\
                         <body><script>window.result = null; window.addEventListener('load', function () {{ {script} }});</script></body></html>"
                    ))
                }
            }),
        )
        .route("/done", get(|| async { Html("<!doctype html><p>done</p>") }));
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(300), axum::serve(listener, app)).await;
    });
    (addr, server)
}

fn page_url(shop: SocketAddr, script: &str) -> String {
    let query = serde_urlencoded::to_string([("script", script)]).unwrap();
    format!("http://{shop}/pay?{query}")
}

/// `IMP.request_pay(params, cb)` on load, the result kept.
fn request_pay(params: &str) -> String {
    format!(
        "IMP.init('imp00000000'); IMP.request_pay({params}, function (rsp) {{ window.result = rsp; }});"
    )
}

fn keys(object: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = object.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desktop_page_pays_a_thin_pg_and_receives_exactly_its_keys() {
    let fake = FakeApi::start().await.unwrap();
    fake.send_webhooks_to("http://127.0.0.1:9/portone", portone_pg_fake::WebhookFormat::Json);
    fake.auto_decide(Decision::Approve);
    let (shop, _server) = shop(&fake.sdk_url()).await;
    let browser = Browser::launch().await.unwrap();
    let page = browser.new_page(Agent::Desktop).await.unwrap();
    let script = request_pay(
        "{pg: 'tosspayments', pay_method: 'card', merchant_uid: 'order-1', amount: 1004, name: 'Coffee'}",
    );
    page.goto(&page_url(shop, &script)).await.unwrap();
    let result = page.wait_for("window.result", WAIT).await.unwrap();
    assert_eq!(keys(&result), ["imp_uid", "merchant_uid"], "{result}");
    let imp_uid = result["imp_uid"].as_str().unwrap();
    assert_eq!(fake.status(imp_uid).as_deref(), Some("paid"));
    let parsed =
        PaymentResponse::from_json_with_pg("tosspayments", result.to_string().as_bytes()).unwrap();
    let PaymentResponse::Tosspayments(toss) = parsed else {
        panic!("{result}")
    };
    assert!(toss.extra.is_empty());
    // The callback was delivered, and one webhook went out for the payment.
    fake.wait_for_window_event(WAIT, |e| matches!(e, WindowEvent::CallbackDelivered { .. }))
        .await
        .expect("the callback was called");
    let mut webhooks = fake.webhooks();
    for _ in 0..100 {
        if !webhooks.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
        webhooks = fake.webhooks();
    }
    assert_eq!(webhooks.len(), 1);
    assert_eq!((webhooks[0].imp_uid.as_str(), webhooks[0].status.as_str()), (imp_uid, "paid"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_decides_a_window_and_a_decline_sends_no_webhook() {
    let fake = FakeApi::start().await.unwrap();
    fake.send_webhooks_to("http://127.0.0.1:9/portone", portone_pg_fake::WebhookFormat::Json);
    let (shop, _server) = shop(&fake.sdk_url()).await;
    let browser = Browser::launch().await.unwrap();
    let page = browser.new_page(Agent::Desktop).await.unwrap();
    let script = request_pay(
        "{pg: 'kcp', pay_method: 'card', merchant_uid: 'order-2', amount: 5000, name: 'Tea'}",
    );
    page.goto(&page_url(shop, &script)).await.unwrap();
    page.click_in_frame(&fake.url(), "[data-fake=decline]", WAIT)
        .await
        .unwrap();
    let result = page.wait_for("window.result", WAIT).await.unwrap();
    assert_eq!(result["success"], false, "{result}");
    assert_eq!(result["merchant_uid"], "order-2");
    let imp_uid = result["imp_uid"].as_str().unwrap();
    assert_eq!(fake.status(imp_uid).as_deref(), Some("failed"));
    // A failure names no PG (kcp sends `pg_provider` on success): the
    // request's pg types it.
    let parsed = PaymentResponse::from_json_with_pg("kcp", result.to_string().as_bytes()).unwrap();
    assert!(matches!(parsed, PaymentResponse::Kcp(_)), "{result}");
    assert!(matches!(parsed.outcome(), portone_pg::Outcome::Failure { .. }));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(fake.webhooks().is_empty(), "a decline sent a webhook");
}
