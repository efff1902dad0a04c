//! A buyer pays through the checkout page in headless Chromium, against
//! the fake's payment window: the callback (desktop) or the redirect
//! (phone) and the webhook race, in every order the fake can make them,
//! and the order is paid and fulfilled once.

use std::net::SocketAddr;
use std::time::Duration;

use checkout_server::{checkout, router, work};
use portone_pg::client::Client;
use portone_pg_fake::browser::{Agent, Browser};
use portone_pg_fake::{Decision, FakeApi, WebhookFormat, WindowEvent, WindowWebhook};
use portone_pg_ledger::Ledger;
use portone_pg_ledger::store::SqliteStore;
use serde_json::Value;

const WAIT: Duration = Duration::from_secs(20);

struct Shop {
    address: SocketAddr,
    ledger: Ledger<SqliteStore>,
    fake: FakeApi,
    _dir: tempfile::TempDir,
}

async fn shop() -> Shop {
    let fake = FakeApi::start().await.unwrap();
    fake.auto_decide(Decision::Approve);
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("shop.db").display());
    let ledger = Ledger::new(client, SqliteStore::connect(&url).await.unwrap());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    fake.send_webhooks_to(
        &format!("http://{address}/portone/webhook"),
        WebhookFormat::Json,
    );
    let app = router(ledger.clone())
        .merge(checkout(&fake.sdk_url()))
        .into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move {
        let _ = tokio::time::timeout(Duration::from_secs(300), axum::serve(listener, app)).await;
    });
    Shop {
        address,
        ledger,
        fake,
        _dir: dir,
    }
}

impl Shop {
    async fn order(&self, merchant_uid: &str) -> Value {
        let order = self.ledger.order(merchant_uid).await.unwrap().unwrap();
        checkout_server::order_json(&order)
    }

    /// Waits until the order is paid and every webhook sent was answered.
    async fn settled(&self, merchant_uid: &str, webhooks: usize) -> Value {
        for _ in 0..200 {
            let order = self.order(merchant_uid).await;
            let answered = self
                .fake
                .webhooks()
                .iter()
                .filter(|w| w.merchant_uid == merchant_uid && w.http_status.is_some())
                .count();
            if order["state"] == "paid" && answered >= webhooks {
                return order;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{merchant_uid}: {}", self.order(merchant_uid).await);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_buyer_pays_through_the_checkout_page_and_the_order_is_fulfilled_once() {
    let shop = shop().await;
    let Some(browser) = Browser::launch_for_test().await else {
        return;
    };
    // A legacy PG's full callback, and a new-module PG's two keys, which
    // the callback door types with the request's `pg`.
    let legacy = "html5_inicis";
    let thin = "tosspayments";
    let cases = [
        (
            "desktop-with",
            legacy,
            Agent::Desktop,
            WindowWebhook::WithAnswer,
            1,
        ),
        (
            "desktop-before",
            legacy,
            Agent::Desktop,
            WindowWebhook::BeforeAnswer,
            1,
        ),
        (
            "desktop-after",
            legacy,
            Agent::Desktop,
            WindowWebhook::AfterCallback,
            1,
        ),
        (
            "desktop-twice",
            legacy,
            Agent::Desktop,
            WindowWebhook::Twice,
            2,
        ),
        (
            "thin-desktop",
            thin,
            Agent::Desktop,
            WindowWebhook::WithAnswer,
            1,
        ),
        (
            "thin-desktop-after",
            thin,
            Agent::Desktop,
            WindowWebhook::AfterCallback,
            1,
        ),
        (
            "phone-before",
            legacy,
            Agent::Mobile,
            WindowWebhook::BeforeAnswer,
            1,
        ),
        (
            "phone-after",
            legacy,
            Agent::Mobile,
            WindowWebhook::AfterCallback,
            1,
        ),
        (
            "phone-twice",
            legacy,
            Agent::Mobile,
            WindowWebhook::Twice,
            2,
        ),
        ("thin-phone", thin, Agent::Mobile, WindowWebhook::Twice, 2),
        (
            "desktop-dropped",
            legacy,
            Agent::Desktop,
            WindowWebhook::Dropped,
            0,
        ),
    ];
    for (merchant_uid, pg, agent, policy, webhooks) in cases {
        shop.fake.window_webhook(policy);
        let page = browser.new_page(agent).await.unwrap();
        let checkout = format!(
            "http://{}/checkout?merchant_uid={merchant_uid}&amount=1004&pg={pg}",
            shop.address
        );
        let since = shop.fake.window_events().len();
        // The SDK sends a phone to m_redirect_url, the redirect door.
        let redirected =
            page.expect_navigation(&format!("http://{}/portone/redirect", shop.address), WAIT);
        page.goto(&checkout).await.unwrap();
        match agent {
            // The page's callback ran (and posts to the callback door).
            Agent::Desktop => {
                shop.fake
                    .wait_for_window_event(since, WAIT, |e| {
                        matches!(e, WindowEvent::CallbackDelivered { merchant_uid: m } if m == merchant_uid)
                    })
                    .await
                    .expect("the page's callback ran");
            }
            Agent::Mobile => {
                let url = redirected.await.unwrap();
                assert!(url.contains("imp_success=true"), "{url}");
            }
        }
        let order = shop.settled(merchant_uid, webhooks).await;
        assert_eq!(order["amount"], "1004", "{order}");
        let paid: Vec<&Value> = order["history"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["to"] == "paid")
            .collect();
        assert_eq!(paid.len(), 1, "{merchant_uid}: {order}");
    }
    // One fulfilment per order, whatever raced.
    let mut done = work(&shop.ledger).await.unwrap();
    done.sort();
    let mut expected: Vec<String> = cases.iter().map(|(m, ..)| format!("fulfil {m}")).collect();
    expected.sort();
    assert_eq!(done, expected);
}
