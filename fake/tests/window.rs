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
use portone_pg_fake::browser::{Agent, Browser, Page};
use portone_pg_fake::{
    Decision, FakeApi, NewPayment, Profile, WebhookDelivery, WebhookFormat, WindowEvent,
};
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

/// A fake whose webhooks go to an unreachable URL (each attempt recorded),
/// a shop serving pages that load its SDK, and a browser tab.
struct Scene {
    fake: FakeApi,
    shop: SocketAddr,
    browser: Browser,
    page: Page,
}

/// `None` without a Chromium here (SKIPPED, except under `CI=true`).
async fn scene(agent: Agent) -> Option<Scene> {
    let fake = FakeApi::start().await.unwrap();
    fake.send_webhooks_to("http://127.0.0.1:9/portone", WebhookFormat::Json);
    let (shop, _server) = serve_shop(&fake.sdk_url()).await;
    let browser = Browser::launch_for_test().await?;
    let page = browser.new_page(agent).await.unwrap();
    Some(Scene {
        fake,
        shop,
        browser,
        page,
    })
}

/// Opens the shop's page running `script` and returns what its callback
/// received.
async fn paid(fake: &FakeApi, page: &Page, shop: SocketAddr, script: &str) -> Value {
    let since = fake.window_events().len();
    page.goto(&page_url(shop, script)).await.unwrap();
    callback(fake, page, since).await
}

/// What the page's callback received, read once the fake reports a
/// callback called after the first `since` events.
async fn callback(fake: &FakeApi, page: &Page, since: usize) -> Value {
    fake.wait_for_window_event(since, WAIT, |e| {
        matches!(e, WindowEvent::CallbackDelivered { .. })
    })
    .await
    .expect("the page's callback was called");
    page.eval("window.result").await.unwrap()
}

/// Opens the shop's page running `script` and returns the query of the
/// redirect it lands on at `/done` (without `?`), waiting on the browser's
/// navigation event.
async fn landed(page: &Page, shop: SocketAddr, script: &str) -> String {
    let landing = page.expect_navigation(&format!("http://{shop}/done"), WAIT);
    page.goto(&page_url(shop, script)).await.unwrap();
    let url = landing.await.unwrap();
    url.split_once('?')
        .map(|(_, q)| q.to_owned())
        .unwrap_or_default()
}

/// The webhooks recorded once there are `count`, waiting up to 2 s.
async fn webhooks(fake: &FakeApi, count: usize) -> Vec<WebhookDelivery> {
    for _ in 0..100 {
        let recorded = fake.webhooks();
        if recorded.len() >= count {
            return recorded;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fake.webhooks()
}

/// The shop: `/pay?…` is a page that loads `sdk` and runs `script` on
/// load, keeping what the callback received in `window.result`; `/done`
/// is where a redirect lands.
async fn serve_shop(sdk: &str) -> (SocketAddr, tokio::task::JoinHandle<()>) {
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
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .unwrap();
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
    let mut keys: Vec<&str> = object
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_desktop_page_pays_a_thin_pg_and_receives_exactly_its_keys() {
    let Some(Scene {
        fake,
        shop,
        // Kept alive: dropping it ends Chromium.
        browser: _browser,
        page,
    }) = scene(Agent::Desktop).await
    else {
        return;
    };
    fake.auto_decide(Decision::Approve);
    let script = request_pay(
        "{pg: 'tosspayments', pay_method: 'card', merchant_uid: 'order-1', amount: 1004, name: 'Coffee'}",
    );
    let result = paid(&fake, &page, shop, &script).await;
    assert_eq!(keys(&result), ["imp_uid", "merchant_uid"], "{result}");
    let imp_uid = result["imp_uid"].as_str().unwrap();
    assert_eq!(fake.status(imp_uid).as_deref(), Some("paid"));
    let parsed =
        PaymentResponse::from_json_with_pg("tosspayments", result.to_string().as_bytes()).unwrap();
    let PaymentResponse::Tosspayments(toss) = parsed else {
        panic!("{result}")
    };
    assert!(toss.extra.is_empty());
    // One webhook went out for the payment.
    let webhooks = webhooks(&fake, 1).await;
    assert_eq!(webhooks.len(), 1);
    assert_eq!(
        (webhooks[0].imp_uid.as_str(), webhooks[0].status.as_str()),
        (imp_uid, "paid")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_click_decides_a_window_and_a_decline_sends_no_webhook() {
    let Some(Scene {
        fake,
        shop,
        // Kept alive: dropping it ends Chromium.
        browser: _browser,
        page,
    }) = scene(Agent::Desktop).await
    else {
        return;
    };
    let script = request_pay(
        "{pg: 'kcp', pay_method: 'card', merchant_uid: 'order-2', amount: 5000, name: 'Tea'}",
    );
    let since = fake.window_events().len();
    page.goto(&page_url(shop, &script)).await.unwrap();
    page.click_in_frame(&fake.url(), "[data-fake=decline]", WAIT)
        .await
        .unwrap();
    let result = callback(&fake, &page, since).await;
    assert_eq!(result["success"], false, "{result}");
    assert_eq!(result["merchant_uid"], "order-2");
    let imp_uid = result["imp_uid"].as_str().unwrap();
    assert_eq!(fake.status(imp_uid).as_deref(), Some("failed"));
    // A failure names no PG (kcp sends `pg_provider` on success): the
    // request's pg types it.
    let parsed = PaymentResponse::from_json_with_pg("kcp", result.to_string().as_bytes()).unwrap();
    assert!(matches!(parsed, PaymentResponse::Kcp(_)), "{result}");
    assert!(matches!(
        parsed.outcome(),
        portone_pg::Outcome::Failure { .. }
    ));
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(fake.webhooks().is_empty(), "a decline sent a webhook");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_phone_lands_on_m_redirect_url_with_the_pgs_redirect_query() {
    let Some(Scene {
        fake,
        shop,
        browser,
        page,
    }) = scene(Agent::Mobile).await
    else {
        return;
    };
    fake.auto_decide(Decision::Approve);
    let script = format!(
        "IMP.init('imp00000000'); IMP.request_pay({{pg: 'kcp', pay_method: 'card', merchant_uid: 'order-m', amount: 1004, name: 'Tea', m_redirect_url: 'http://{shop}/done'}}, function (rsp) {{ location.href = '/called'; }});"
    );
    let query = landed(&page, shop, &script).await;
    let response = PaymentResponse::from_query_with_pg("kcp", &query).unwrap();
    let PaymentResponse::Kcp(kcp) = &response else {
        panic!("{query}")
    };
    assert!(kcp.extra.is_empty(), "{query}");
    assert_eq!(response.outcome(), portone_pg::Outcome::Success);
    assert!(query.contains("imp_success=true"), "{query}");
    let imp_uid = response.imp_uid().unwrap();
    assert_eq!(fake.status(imp_uid).as_deref(), Some("paid"));
    // KCP Quick Pay names its flag `imp_status` and echoes the window type.
    let script = format!(
        "IMP.init('imp00000000'); IMP.request_pay({{pg: 'kcp_quick', pay_method: 'card', merchant_uid: 'order-q', amount: 1004, name: 'Tea', m_redirect_url: 'http://{shop}/done', bypass: {{kcpQuick: {{actionType: 'Pay'}}}}}});"
    );
    let query = landed(&page, shop, &script).await;
    assert!(
        query.contains("imp_status=true") && query.contains("kcp_action=Pay"),
        "{query}"
    );
    let quick = PaymentResponse::from_query_with_pg("kcp_quick", &query).unwrap();
    let PaymentResponse::KcpQuick(q) = &quick else {
        panic!("{query}")
    };
    assert!(q.extra.is_empty(), "{query}");
    assert_eq!(q.kcp_action.as_deref(), Some("Pay"));
    assert_eq!(quick.outcome(), portone_pg::Outcome::Success);

    // A phone's page without a callback and without m_redirect_url: a
    // failure naming the parameter, no window.
    let page = browser.new_page(Agent::Mobile).await.unwrap();
    let script = "IMP.init('imp00000000'); window.alert = function (m) { window.result = m; }; IMP.request_pay({pg: 'kcp', pay_method: 'card', merchant_uid: 'order-m2', amount: 1004, name: 'Tea'});";
    page.goto(&page_url(shop, script)).await.unwrap();
    let alerted = page.wait_for("window.result", WAIT).await.unwrap();
    assert!(
        alerted.as_str().unwrap().contains("m_redirect_url"),
        "{alerted}"
    );
    assert!(fake.statuses_of("order-m2").is_empty());
    // A refusal on a phone without a callback lands on m_redirect_url
    // with imp_success=false, as the SDK sends it.
    let script = format!(
        "IMP.init('imp00000000'); IMP.request_pay({{pg: 'kcp', pay_method: 'card', merchant_uid: 'order-m', amount: 1004, name: 'Tea', m_redirect_url: 'http://{shop}/done'}});"
    );
    let query = landed(&page, shop, &script).await;
    assert!(
        query.contains("imp_success=false") && query.contains("error_code=F1002"),
        "{query}"
    );
    // The callback was not called: the redirect replaced it.
    assert!(
        !fake
            .window_events()
            .iter()
            .any(|e| matches!(e, WindowEvent::CallbackDelivered { .. }))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sdks_refusals_open_no_window_and_make_no_payment() {
    let Some(Scene {
        fake,
        shop,
        // Kept alive: dropping it ends Chromium.
        browser: _browser,
        page,
    }) = scene(Agent::Desktop).await
    else {
        return;
    };
    fake.auto_decide(Decision::Approve);
    fake.create(NewPayment::paid("order-paid", Amount::from(1004)).pg_provider("kcp"))
        .unwrap();

    // An order already paid: F1002.
    let script = request_pay(
        "{pg: 'kcp', pay_method: 'card', merchant_uid: 'order-paid', amount: 1004, name: 'x'}",
    );
    let result = paid(&fake, &page, shop, &script).await;
    assert_eq!(
        (&result["success"], &result["error_code"]),
        (&Value::Bool(false), &Value::from("F1002")),
        "{result}"
    );

    // A PG the console does not have: F1001, with the SDK's typo.
    fake.configure_pgs(&["kcp"]);
    let script = request_pay(
        "{pg: 'tosspayments', pay_method: 'card', merchant_uid: 'order-3', amount: 1004, name: 'x'}",
    );
    let result = paid(&fake, &page, shop, &script).await;
    assert_eq!(result["error_coe"], "F1001", "{result}");
    assert_eq!(result["imp_success"], false, "{result}");

    // No PG configured at all: NOT_READY.
    fake.configure_pgs(&[]);
    let result = paid(&fake, &page, shop, &script).await;
    assert_eq!(result["error_code"], "NOT_READY", "{result}");

    // A window for another amount than the prepared one.
    fake.configure_pgs(&["kcp"]);
    let client_prepare = reqwest_prepare(&fake, "order-4", 1000).await;
    assert_eq!(client_prepare, 200);
    let script = request_pay(
        "{pg: 'kcp', pay_method: 'card', merchant_uid: 'order-4', amount: 100, name: 'x'}",
    );
    let result = paid(&fake, &page, shop, &script).await;
    assert_eq!(result["error_code"], "FAKE_PREPARED_AMOUNT", "{result}");

    let events = fake.window_events();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, WindowEvent::Opened { .. })),
        "{events:?}"
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, WindowEvent::Refused { .. }))
            .count(),
        4
    );
    for merchant_uid in ["order-3", "order-4"] {
        assert!(
            fake.statuses_of(merchant_uid).is_empty(),
            "{merchant_uid} has a payment"
        );
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(fake.webhooks().is_empty());
}

/// `POST /payments/prepare` for `merchant_uid`, with a token: the status.
async fn reqwest_prepare(fake: &FakeApi, merchant_uid: &str, amount: u64) -> u16 {
    let http = reqwest::Client::new();
    let token = http
        .post(format!("{}/users/getToken", fake.url()))
        .header("content-type", "application/json")
        .body(serde_json::json!({ "imp_key": fake.key(), "imp_secret": fake.secret() }).to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let token: Value = serde_json::from_str(&token).unwrap();
    let token = token["response"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    http.post(format!("{}/payments/prepare", fake.url()))
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "application/json")
        .body(serde_json::json!({ "merchant_uid": merchant_uid, "amount": amount }).to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_hard_coding_the_cdn_gets_the_stand_in_and_a_popup_answers_too() {
    let Some(Scene {
        fake,
        shop,
        // Kept alive: dropping it ends Chromium.
        browser: _browser,
        page,
    }) = scene(Agent::Desktop).await
    else {
        return;
    };
    fake.auto_decide(Decision::Approve);
    page.serve_sdk_for_cdn(&fake.sdk_url()).await.unwrap();
    // paypal_v2 always opens a popup.
    let script = request_pay(
        "{pg: 'paypal_v2', pay_method: 'paypal', merchant_uid: 'order-p', amount: 10, currency: 'USD', name: 'x'}",
    );
    let query = serde_urlencoded::to_string([
        ("script", script.as_str()),
        ("sdk", "https://cdn.iamport.kr/v1/iamport.js"),
    ])
    .unwrap();
    let since = fake.window_events().len();
    page.goto(&format!("http://{shop}/pay?{query}"))
        .await
        .unwrap();
    let result = callback(&fake, &page, since).await;
    assert!(
        fake.window_events()
            .iter()
            .any(|e| matches!(e, WindowEvent::Opened { mode: "popup", .. }))
    );
    let imp_uid = result["imp_uid"].as_str().unwrap();
    assert_eq!(fake.status(imp_uid).as_deref(), Some("paid"));

    // A certification opens a popup on a desktop.
    let script = "IMP.init('imp00000000'); IMP.certification({merchant_uid: 'cert-1'}, function (rsp) { window.result = rsp; });";
    let result = paid(&fake, &page, shop, script).await;
    assert_eq!(result["success"], true, "{result}");
    let parsed =
        portone_pg::CertificationResponse::from_json(result.to_string().as_bytes()).unwrap();
    assert_eq!(parsed.imp_uid(), result["imp_uid"].as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_pgs_window_answers_in_its_schemas_shape() {
    let Some(Scene {
        fake,
        shop,
        // Kept alive: dropping it ends Chromium.
        browser: _browser,
        page,
    }) = scene(Agent::Desktop).await
    else {
        return;
    };
    // Every PG with a payment schema, from the schema files.
    let mut codes: Vec<String> =
        std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../schemas/pg"))
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .trim_end_matches(".toml")
                    .to_owned()
            })
            .collect();
    codes.sort();
    // PGs whose window replaces the page on a desktop too answer at
    // m_redirect_url (a_pg_that_redirects_on_a_desktop_answers_there).
    let redirecting: Vec<String> = codes
        .iter()
        .filter(|c| {
            PgProvider::from_code(c)
                .payment_window()
                .is_some_and(|w| w.pc == portone_pg::WindowMode::Redirect)
        })
        .cloned()
        .collect();
    assert_eq!(
        redirecting,
        ["alipay", "chai", "naverco", "naverpay", "paypal"]
    );
    codes.retain(|c| !redirecting.contains(c));
    // One page pays through every PG in turn, each window decided in
    // advance, and keeps every callback.
    let script = format!(
        "IMP.init('imp00000000'); window.results = []; const codes = {codes:?}; let n = 0;
         function next() {{
           if (n === codes.length) {{ window.result = window.results; return; }}
           const pg = codes[n++];
           IMP.request_pay({{pg: pg, pay_method: 'card', merchant_uid: 'order-' + window.round + '-' + pg, amount: 1000, name: 'x'}},
             function (rsp) {{ window.results.push([pg, rsp]); if (n === codes.length) {{ window.result = window.results; }} else {{ setTimeout(next, 0); }} }});
         }}
         next();"
    );
    for (round, decision, profile) in [
        ("approve-min", Decision::Approve, Profile::Minimum),
        ("approve-all", Decision::Approve, Profile::All),
        ("decline-min", Decision::Decline, Profile::Minimum),
        ("decline-all", Decision::Decline, Profile::All),
        ("approve-observed", Decision::Approve, Profile::Observed),
        ("decline-observed", Decision::Decline, Profile::Observed),
    ] {
        fake.auto_decide(decision);
        fake.window_profile(profile);
        let script = format!("window.round = '{round}'; {script}");
        let sent_before = webhooks(&fake, 0).await.len();
        let since = fake.window_events().len();
        page.goto(&page_url(shop, &script)).await.unwrap();
        // The last PG's callback holds every result.
        let last = format!("order-{round}-{}", codes.last().unwrap());
        fake.wait_for_window_event(since, Duration::from_secs(120), |e| {
            matches!(e, WindowEvent::CallbackDelivered { merchant_uid } if *merchant_uid == last)
        })
        .await
        .expect("every window answered");
        let results = page.eval("window.result").await.unwrap();
        let results = results.as_array().unwrap();
        assert_eq!(results.len(), codes.len(), "{round}");
        // One webhook per approval, none for a decline.
        let expected = match decision {
            Decision::Approve => sent_before + codes.len(),
            _ => sent_before,
        };
        let sent = webhooks(&fake, expected).await.len();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            (sent, fake.webhooks().len()),
            (expected, expected),
            "{round}"
        );
        for entry in results {
            let (pg, callback) = (entry[0].as_str().unwrap(), &entry[1]);
            let body = callback.to_string();
            let parsed = PaymentResponse::from_json_with_pg(pg, body.as_bytes())
                .unwrap_or_else(|e| panic!("{round} {pg}: {e}: {body}"));
            assert_eq!(
                parsed.provider().map(|p| p.to_string()).as_deref(),
                Some(pg),
                "{round}: {body}"
            );
            // No key outside the PG's schema.
            let schema = PgProvider::from_code(pg).payment_schema().unwrap();
            for key in callback.as_object().unwrap().keys() {
                assert!(
                    schema.iter().any(|f| f.name == key),
                    "{round} {pg}: `{key}` is not in its schema: {body}"
                );
            }
            let success = decision == Decision::Approve;
            assert_eq!(
                parsed.outcome() == portone_pg::Outcome::Success,
                success,
                "{round} {pg}: {body}"
            );
            // A new-module PG's failure carries the ids and the error
            // pair, no flag, as the SDK builds it from the redirect.
            if !success
                && profile == Profile::Minimum
                && PgProvider::from_code(pg).success_rule()
                    == Some(portone_pg::SuccessRule::NoError)
            {
                assert!(callback.get("success").is_none(), "{round} {pg}: {body}");
                assert!(callback.get("error_msg").is_some(), "{round} {pg}: {body}");
            }
            // KCP's captured card callbacks carry the flag, the card and the
            // buyer: so does the window's, in the observed profile.
            if round == "approve-observed" && pg == "kcp" {
                for key in ["success", "card_name", "pg_type", "receipt_url", "currency"] {
                    assert!(
                        callback.get(key).is_some(),
                        "{round} {pg}: no `{key}`: {body}"
                    );
                }
            }
            // What the schema promises for the outcome is there, so that
            // `into_success()` of a success holds.
            for field in schema {
                let promised = match field.presence {
                    portone_pg::Presence::Always => true,
                    portone_pg::Presence::OnSuccess => success,
                    _ => false,
                };
                assert!(
                    !promised || callback.get(field.name).is_some(),
                    "{round} {pg}: `{}` is promised and missing: {body}",
                    field.name
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pg_that_redirects_on_a_desktop_answers_there() {
    let Some(Scene {
        fake,
        shop,
        // Kept alive: dropping it ends Chromium.
        browser: _browser,
        page,
    }) = scene(Agent::Desktop).await
    else {
        return;
    };
    fake.auto_decide(Decision::Approve);
    // Their guides: the result goes to m_redirect_url on a PC too, for
    // an approval and a decline alike.
    for decision in [Decision::Approve, Decision::Decline] {
        fake.auto_decide(decision);
        for pg in ["alipay", "chai", "naverco", "naverpay", "paypal"] {
            let script = format!(
                "IMP.init('imp00000000'); IMP.request_pay({{pg: '{pg}', pay_method: 'card', merchant_uid: 'order-{decision:?}-{pg}', amount: 10, name: 'x', m_redirect_url: 'http://{shop}/done'}}, function (rsp) {{ window.result = rsp; }});"
            );
            let query = landed(&page, shop, &script).await;
            let response = PaymentResponse::from_query_with_pg(pg, &query).unwrap();
            assert_eq!(
                response.provider().map(|p| p.to_string()).as_deref(),
                Some(pg),
                "{query}"
            );
            assert!(response.extra().is_empty(), "{pg}: {query}");
            assert_eq!(
                response.outcome() == portone_pg::Outcome::Success,
                decision == Decision::Approve,
                "{pg}: {query}"
            );
        }
    }
    fake.auto_decide(Decision::Approve);
    // Naver Pay opens a popup when the page asks for one.
    let script = request_pay(
        "{pg: 'naverpay', pay_method: 'naverpay', merchant_uid: 'order-np', amount: 1000, name: 'x', naverPopupMode: true}",
    );
    let result = paid(&fake, &page, shop, &script).await;
    assert!(result["imp_uid"].is_string(), "{result}");
    assert!(
        fake.window_events()
            .iter()
            .any(|e| matches!(e, WindowEvent::Opened { merchant_uid, mode: "popup" } if merchant_uid == "order-np"))
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_virtual_account_is_issued_in_the_window_then_deposited() {
    let Some(Scene {
        fake,
        shop,
        // Kept alive: dropping it ends Chromium.
        browser: _browser,
        page,
    }) = scene(Agent::Desktop).await
    else {
        return;
    };
    fake.window_profile(Profile::All);
    let script = request_pay(
        "{pg: 'kcp', pay_method: 'vbank', merchant_uid: 'order-v', amount: 25000, name: 'Jacket'}",
    );
    let since = fake.window_events().len();
    page.goto(&page_url(shop, &script)).await.unwrap();
    // The window offers an account instead of an approval.
    page.click_in_frame(&fake.url(), "[data-fake=issue_vbank]", WAIT)
        .await
        .unwrap();
    let result = callback(&fake, &page, since).await;
    assert_eq!(
        (&result["status"], &result["pay_method"]),
        (&Value::from("ready"), &Value::from("vbank")),
        "{result}"
    );
    assert!(result["vbank_num"].is_string(), "{result}");
    let imp_uid = result["imp_uid"].as_str().unwrap().to_owned();
    let response = PaymentResponse::from_json(result.to_string().as_bytes()).unwrap();
    assert!(matches!(response, PaymentResponse::Kcp(_)), "{result}");
    // `ready`, then `paid` when the buyer deposits.
    fake.deposit(&imp_uid).await.unwrap();
    let mut statuses: Vec<String> = webhooks(&fake, 2)
        .await
        .into_iter()
        .map(|w| w.status)
        .collect();
    statuses.sort();
    assert_eq!(statuses, ["paid", "ready"]);
    // The request's notice_url takes the payment's webhooks instead.
    let (receiver, _receiver_server) = serve_shop(&fake.sdk_url()).await;
    let script = format!(
        "IMP.init('imp00000000'); IMP.request_pay({{pg: 'kcp', pay_method: 'card', merchant_uid: 'order-n', amount: 1000, name: 'x', notice_url: 'http://{receiver}/done'}}, function (rsp) {{ window.result = rsp; }});"
    );
    fake.auto_decide(Decision::Approve);
    paid(&fake, &page, shop, &script).await;
    let answered = webhooks(&fake, 3)
        .await
        .into_iter()
        .find(|w| w.merchant_uid == "order-n")
        .and_then(|w| w.http_status);
    // The shop's /done answers GET only: 405 shows the webhook reached it,
    // where the console's URL (port 9) would have refused the connection.
    assert_eq!(answered, Some(405));
    assert_eq!(fake.status(&imp_uid).as_deref(), Some("paid"));
}
