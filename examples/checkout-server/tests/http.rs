//! Starts the server on 127.0.0.1 and sends it real HTTP requests built from
//! the bundled fixtures.

use std::path::Path;
use std::sync::Arc;

use checkout_server::{App, OrderState, router};
use portone_pg::Amount;
use portone_pg::client::{Client, ErrorKind};
use portone_pg_fake::{FakeApi, NewPayment, Route, WebhookFormat};
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

/// The server, its orders, and the fake V1 API holding the payments the
/// fixtures name.
async fn start() -> (String, Arc<App>, FakeApi) {
    let fake = FakeApi::start().await.unwrap();
    let client = Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .build()
        .unwrap();
    // Paid, but 100 instead of the order's 1004: the browser tampered with
    // the request before the order was prepared (a prepared amount would
    // have kept this window from opening at all).
    fake.create(NewPayment::paid("order-tampered", Amount::from(100)).imp_uid("imp_100000000090"))
        .unwrap();
    let app = App::new(client);
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
        app.open_order(merchant_uid, Amount::from(amount))
            .await
            .unwrap();
        fake.create(payment).unwrap();
    }
    app.open_order("order-tampered", Amount::from(1004))
        .await
        .unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let router = router(app.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (address, app, fake)
}

/// One HTTP/1.1 request; the status and the JSON body of the answer.
async fn send(
    address: &str,
    method: &str,
    target: &str,
    content_type: &str,
    body: &[u8],
) -> (u16, Value) {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let head = format!(
        "{method} {target} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8(answer).unwrap();
    let status: u16 = text[9..12].parse().unwrap();
    let body = &text[text.find("\r\n\r\n").unwrap() + 4..];
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn callback_redirect_and_webhook_are_verified_against_the_order() {
    let (address, app, _fake) = start().await;

    // The callback: the docs' real KCP object, posted by the page.
    let callback = fixture("callbacks/kcp_card_paid_docs.json");
    let (status, answer) = send(
        &address,
        "POST",
        "/payments/callback?pg=kcp.T0000",
        "application/json",
        &callback,
    )
    .await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (200, Some("paid")),
        "{answer}"
    );
    assert_eq!(app.order("57008833-33004").unwrap().state, OrderState::Paid);

    // The redirect: KCP's mobile vbank issuance (only ids and imp_success).
    let query = String::from_utf8(fixture("redirects/kcp_mobile_vbank_issued.query")).unwrap();
    let (status, answer) = send(
        &address,
        "GET",
        &format!("/payments/complete?{}", query.trim()),
        "text/plain",
        b"",
    )
    .await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (200, Some("awaiting_deposit")),
        "{answer}"
    );
    assert_eq!(
        app.order("order-kcp-50").unwrap().state,
        OrderState::AwaitingDeposit
    );

    // The webhook, as the form the console can send.
    let form = fixture("webhooks/docs_paid.form");
    let (status, answer) = send(
        &address,
        "POST",
        "/webhooks/portone",
        "application/x-www-form-urlencoded",
        form.trim_ascii(),
    )
    .await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (200, Some("paid")),
        "{answer}"
    );
    // And as JSON.
    let json = fixture("webhooks/docs_paid.json");
    let (status, _) = send(
        &address,
        "POST",
        "/webhooks/portone",
        "application/json",
        &json,
    )
    .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_tampered_amount_is_refused() {
    let (address, app, _fake) = start().await;
    // The browser claims success with the order's amount; the REST object says 100.
    let body = br#"{"success":true,"imp_uid":"imp_100000000090","merchant_uid":"order-tampered","pay_method":"card",
        "paid_amount":1004,"pg_provider":"kcp","status":"paid"}"#;
    let (status, answer) = send(
        &address,
        "POST",
        "/payments/callback",
        "application/json",
        body,
    )
    .await;
    assert_eq!(status, 409, "{answer}");
    assert_eq!(answer["result"], "refused");
    assert_eq!(
        answer["detail"],
        "amount: expected 1004, the payment says 100"
    );
    assert_eq!(app.order("order-tampered").unwrap().state, OrderState::Open);
}

#[tokio::test]
async fn failures_and_bad_requests() {
    let (address, _app, _fake) = start().await;
    // A failure claim is reported without a lookup.
    let cancel = fixture("callbacks/html5_inicis_user_cancel.json");
    let (status, answer) = send(
        &address,
        "POST",
        "/payments/callback",
        "application/json",
        &cancel,
    )
    .await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (200, Some("failed")),
        "{answer}"
    );
    // Malformed bodies are 400 with the library's error.
    let (status, answer) = send(
        &address,
        "POST",
        "/payments/callback",
        "application/json",
        b"{\"imp_uid\":",
    )
    .await;
    assert_eq!(
        (status, answer["result"].as_str()),
        (400, Some("bad_request")),
        "{answer}"
    );
    let (status, _) = send(
        &address,
        "GET",
        "/payments/complete?imp_uid=imp_%zz",
        "text/plain",
        b"",
    )
    .await;
    assert_eq!(status, 400);
    let (status, answer) = send(
        &address,
        "POST",
        "/webhooks/portone",
        "text/plain",
        b"imp_uid=x",
    )
    .await;
    assert_eq!(status, 415, "{answer}");
    // A payment the API does not have is a gateway error, not a success.
    let (status, answer) = send(
        &address,
        "GET",
        "/payments/complete?imp_uid=imp_unknown&merchant_uid=57008833-33004&imp_success=true",
        "text/plain",
        b"",
    )
    .await;
    assert_eq!(status, 502, "{answer}");
}

#[tokio::test]
async fn a_repeated_confirmation_is_done_once_and_a_deposit_webhook_pays_the_order() {
    let (address, app, fake) = start().await;
    let callback = fixture("callbacks/kcp_card_paid_docs.json");
    let target = "/payments/callback?pg=kcp.T0000";
    let (_, first) = send(&address, "POST", target, "application/json", &callback).await;
    let (status, again) = send(&address, "POST", target, "application/json", &callback).await;
    assert_eq!(
        (first["result"].as_str(), status, again["result"].as_str()),
        (Some("paid"), 200, Some("already_paid"))
    );

    // The virtual account: issued (redirect), then PortOne's webhook after
    // the deposit, delivered by the fake over HTTP.
    let query = String::from_utf8(fixture("redirects/kcp_mobile_vbank_issued.query")).unwrap();
    let target = format!("/payments/complete?{}", query.trim());
    send(&address, "GET", &target, "text/plain", b"").await;
    assert_eq!(
        app.order("order-kcp-50").unwrap().state,
        OrderState::AwaitingDeposit
    );
    fake.send_webhooks_to(
        &format!("http://{address}/webhooks/portone"),
        WebhookFormat::Form,
    );
    fake.deposit("imp_100000000050").await.unwrap();
    let delivered = fake.webhooks();
    assert_eq!(delivered.len(), 1);
    assert_eq!(
        (delivered[0].status.as_str(), delivered[0].http_status),
        ("paid", Some(200))
    );
    assert_eq!(app.order("order-kcp-50").unwrap().state, OrderState::Paid);
    // One token served every lookup.
    assert_eq!(fake.requests(Route::Token), 1);
}

#[tokio::test]
async fn refunds_go_through_the_checksum_guarded_cancel_once() {
    let (address, app, fake) = start().await;
    let callback = fixture("callbacks/kcp_card_paid_docs.json");
    send(
        &address,
        "POST",
        "/payments/callback?pg=kcp",
        "application/json",
        &callback,
    )
    .await;
    let after = app
        .refund("57008833-33004", Some(Amount::from(4)))
        .await
        .unwrap();
    assert_eq!(after.cancellable_amount(), Some(Amount::from(1000)));
    assert_eq!(app.order("57008833-33004").unwrap().state, OrderState::Paid);
    app.refund("57008833-33004", None).await.unwrap();
    assert_eq!(
        app.order("57008833-33004").unwrap().state,
        OrderState::Refunded
    );
    let error = app.refund("57008833-33004", None).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Api);
    assert_eq!(fake.cancellations("imp_347242536261"), 2);
}
