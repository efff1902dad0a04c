//! Starts the server on 127.0.0.1 with its orders in a temporary SQLite file
//! and sends it real HTTP requests built from the bundled fixtures.

use std::net::SocketAddr;
use std::path::Path;

use checkout_server::{router, work};
use portone_pg::Amount;
use portone_pg::client::Client;
use portone_pg_fake::{FakeApi, NewPayment};
use portone_pg_ledger::Ledger;
use portone_pg_ledger::store::SqliteStore;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures")
            .join(path),
    )
    .unwrap()
}

struct Server {
    address: String,
    ledger: Ledger<SqliteStore>,
    fake: FakeApi,
    _dir: tempfile::TempDir,
}

/// The server and the fake V1 API holding the payments the fixtures name.
async fn start() -> Server {
    let fake = FakeApi::start().await.unwrap();
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("shop.db").display());
    let ledger = Ledger::new(client, SqliteStore::connect(&url).await.unwrap());
    // Paid, but 100 instead of the order's 1004: the browser tampered with
    // the request before the order was opened (an order opened first would
    // have kept this window from opening at all).
    fake.create(NewPayment::paid("order-tampered", Amount::from(100)).imp_uid("imp_100000000090"))
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let app = router(ledger.clone()).into_make_service_with_connect_info::<SocketAddr>();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let server = Server {
        address,
        ledger,
        fake,
        _dir: dir,
    };
    let orders = [
        // The docs' KCP card payment.
        (
            "57008833-33004",
            1004,
            NewPayment::paid("57008833-33004", Amount::from(1004)).imp_uid("imp_347242536261"),
        ),
        // A KCP virtual account issued on mobile.
        (
            "order-kcp-50",
            50000,
            NewPayment::vbank_ready("order-kcp-50", Amount::from(50000))
                .imp_uid("imp_100000000050"),
        ),
        // The V1 webhook guide's example payment.
        (
            "order_id_8237352",
            39000,
            NewPayment::paid("order_id_8237352", Amount::from(39000))
                .imp_uid("imp_1234567890")
                .pay_method("trans")
                .pg_provider("tosspayments"),
        ),
    ];
    for (merchant_uid, amount, payment) in orders {
        let body = format!(r#"{{"merchant_uid":"{merchant_uid}","amount":"{amount}"}}"#);
        let (status, answer) = server
            .send("POST", "/orders", "application/json", body.as_bytes())
            .await;
        assert_eq!(status, 201, "{answer}");
        server.fake.create(payment).unwrap();
    }
    server
        .send(
            "POST",
            "/orders",
            "application/json",
            br#"{"merchant_uid":"order-tampered","amount":"1004"}"#,
        )
        .await;
    server
}

impl Server {
    /// One HTTP/1.1 request; the status and the JSON body of the answer
    /// (the webhook's one word as a JSON string).
    async fn send(
        &self,
        method: &str,
        target: &str,
        content_type: &str,
        body: &[u8],
    ) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.address).await.unwrap();
        let head = format!(
            "{method} {target} HTTP/1.1\r\nHost: {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.address,
            body.len()
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        stream.write_all(body).await.unwrap();
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer).await.unwrap();
        let text = String::from_utf8(answer).unwrap();
        let status: u16 = text[9..12].parse().unwrap();
        let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
        let value = serde_json::from_str(body).unwrap_or_else(|_| Value::String(body.to_owned()));
        (status, value)
    }

    async fn order(&self, merchant_uid: &str) -> Value {
        let (status, order) = self
            .send("GET", &format!("/orders/{merchant_uid}"), "text/plain", b"")
            .await;
        assert_eq!(status, 200, "{order}");
        order
    }
}

#[tokio::test]
async fn the_three_doors_settle_each_order_once() {
    let server = start().await;

    // The callback: the docs' real KCP object, posted by the page.
    let callback = fixture("callbacks/kcp_card_paid_docs.json");
    let (status, answer) = server
        .send(
            "POST",
            "/portone/callback?pg=kcp.T0000",
            "application/json",
            &callback,
        )
        .await;
    assert_eq!(
        (status, &answer["state"], &answer["first"]),
        (200, &"paid".into(), &true.into()),
        "{answer}"
    );
    // Again: the same state, not first.
    let (_, again) = server
        .send(
            "POST",
            "/portone/callback?pg=kcp.T0000",
            "application/json",
            &callback,
        )
        .await;
    assert_eq!(again["first"], false);

    // The redirect: KCP's mobile vbank issuance (only ids and imp_success).
    let query = String::from_utf8(fixture("redirects/kcp_mobile_vbank_issued.query")).unwrap();
    let (status, answer) = server
        .send(
            "GET",
            &format!("/portone/redirect?{}", query.trim()),
            "text/plain",
            b"",
        )
        .await;
    assert_eq!(
        (status, &answer["state"]),
        (200, &"awaiting_deposit".into()),
        "{answer}"
    );

    // The webhook, as the form the console can send, then as JSON.
    let form = fixture("webhooks/docs_paid.form");
    let (status, answer) = server
        .send(
            "POST",
            "/portone/webhook",
            "application/x-www-form-urlencoded",
            form.trim_ascii(),
        )
        .await;
    assert_eq!((status, answer), (200, Value::from("handled")));
    let json = fixture("webhooks/docs_paid.json");
    let (status, answer) = server
        .send("POST", "/portone/webhook", "application/json", &json)
        .await;
    assert_eq!((status, answer), (200, Value::from("duplicate")));

    // Each order's history shows its one transition and the door.
    let order = server.order("57008833-33004").await;
    assert_eq!(order["history"].as_array().unwrap().len(), 1, "{order}");
    assert_eq!(order["history"][0]["door"], "callback");
    let order = server.order("order_id_8237352").await;
    assert_eq!(order["history"][0]["door"], "webhook");
    // One job per paid order.
    let mut done = work(&server.ledger).await.unwrap();
    done.sort();
    assert_eq!(done, ["fulfil 57008833-33004", "fulfil order_id_8237352"]);
}

#[tokio::test]
async fn a_tampered_amount_never_pays_the_order() {
    let server = start().await;
    // The browser claims success with the order's amount; the REST object says 100.
    let body = br#"{"success":true,"imp_uid":"imp_100000000090","merchant_uid":"order-tampered","pay_method":"card",
        "paid_amount":1004,"pg_provider":"kcp","status":"paid"}"#;
    let (status, answer) = server
        .send("POST", "/portone/callback", "application/json", body)
        .await;
    assert_eq!(status, 409, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("amount: expected 1004, the payment says 100"),
        "{answer}"
    );
    let order = server.order("order-tampered").await;
    assert_eq!(order["state"], "needs_attention");
    // The webhook for it is answered 200: a retry would not change it.
    let webhook =
        br#"{"imp_uid":"imp_100000000090","merchant_uid":"order-tampered","status":"paid"}"#;
    let (status, answer) = server
        .send("POST", "/portone/webhook", "application/json", webhook)
        .await;
    assert_eq!((status, answer), (200, Value::from("refused")));
}

#[tokio::test]
async fn notifications_that_cannot_succeed_are_not_retried_and_failures_settle_nothing() {
    let server = start().await;
    // A webhook for a payment PortOne does not have: 200, not a 5xx that
    // asks PortOne to re-send forever.
    let forged =
        br#"{"imp_uid":"imp_999999999999","merchant_uid":"57008833-33004","status":"paid"}"#;
    let (status, answer) = server
        .send("POST", "/portone/webhook", "application/json", forged)
        .await;
    assert_eq!((status, answer), (200, Value::from("unknown")));
    let (status, _) = server
        .send("POST", "/portone/webhook", "text/plain", b"hello")
        .await;
    assert_eq!(status, 400);
    // A callback that names no payment (refused before a window opened):
    // the claim is reported, nothing is looked up.
    let refused = fixture("callbacks/kakaopay_prevalidation_f1002.json");
    let (status, answer) = server
        .send(
            "POST",
            "/portone/callback?pg=kakaopay",
            "application/json",
            &refused,
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    assert!(
        answer["claim"].as_str().unwrap().contains("F1002"),
        "{answer}"
    );
    // One that names a payment PortOne does not have: 404.
    let cancel = fixture("callbacks/html5_inicis_user_cancel.json");
    let (status, answer) = server
        .send(
            "POST",
            "/portone/callback?pg=html5_inicis",
            "application/json",
            &cancel,
        )
        .await;
    assert_eq!(status, 404, "{answer}");
    let (status, _) = server
        .send("POST", "/portone/callback", "application/json", b"{")
        .await;
    assert_eq!(status, 400);
    let (status, _) = server.send("GET", "/orders/nope", "text/plain", b"").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_console_refund_after_payment_is_recorded_and_keyed_refunds_happen_once() {
    let server = start().await;
    let (_, answer) = server
        .send(
            "POST",
            "/portone/webhook",
            "application/json",
            &fixture("webhooks/docs_paid.json"),
        )
        .await;
    assert_eq!(answer, "handled");
    // Refunded in PortOne's console: the cancelled webhook moves the order.
    server.fake.send_webhooks_to(
        &format!("http://{}/portone/webhook", server.address),
        portone_pg_fake::WebhookFormat::Json,
    );
    server
        .fake
        .console_cancel("imp_1234567890", Some(Amount::from(9000)))
        .await
        .unwrap();
    let order = server.order("order_id_8237352").await;
    assert_eq!(
        (&order["state"], &order["cancelled_amount"]),
        (&"partially_cancelled".into(), &"9000".into()),
        "{order}"
    );
    // A refund through the shop, twice with one key: refunded once.
    let body = br#"{"amount":"10000","reason":"one item","key":"return-1"}"#;
    for _ in 0..2 {
        let (status, order) = server
            .send(
                "POST",
                "/orders/order_id_8237352/refund",
                "application/json",
                body,
            )
            .await;
        assert_eq!(
            (status, &order["cancelled_amount"]),
            (200, &"19000".into()),
            "{order}"
        );
    }
    assert_eq!(server.fake.cancellations("imp_1234567890"), 2);
    let history: Vec<_> = server.order("order_id_8237352").await["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["to"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(history, ["paid", "partially_cancelled"]);
}
