//! The fake's routes over real HTTP, spoken to by hand (reqwest, no client).

use portone_pg_core::Amount;
use portone_pg_fake::{FakeApi, NewPayment, Route, WebhookFormat};
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn json(response: reqwest::Response) -> (u16, Value) {
    let status = response.status().as_u16();
    (
        status,
        serde_json::from_slice(&response.bytes().await.unwrap()).unwrap(),
    )
}

#[tokio::test]
async fn token_by_form_or_json_bearer_or_bare_and_the_envelope_on_refusal() {
    let fake = FakeApi::start().await.unwrap();
    let http = reqwest::Client::new();
    let form = http
        .post(format!("{}/users/getToken", fake.url()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("imp_key=imp_key&imp_secret=imp_secret")
        .send()
        .await
        .unwrap();
    let (status, body) = json(form).await;
    assert_eq!((status, body["code"].as_i64()), (200, Some(0)));
    let token = body["response"]["access_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let life = body["response"]["expired_at"].as_i64().unwrap()
        - body["response"]["now"].as_i64().unwrap();
    assert_eq!(life, 1800);

    let id = fake
        .create(NewPayment::paid("order-1", Amount::from(1004)))
        .unwrap();
    for authorization in [format!("Bearer {token}"), token.clone()] {
        let reply = http
            .get(format!("{}/payments/{id}", fake.url()))
            .header("authorization", authorization)
            .send()
            .await
            .unwrap();
        let (status, body) = json(reply).await;
        assert_eq!(
            (status, body["response"]["amount"].as_i64()),
            (200, Some(1004))
        );
    }
    let reply = http
        .get(format!("{}/payments/{id}", fake.url()))
        .send()
        .await
        .unwrap();
    let (status, body) = json(reply).await;
    assert_eq!(
        (status, body["code"].as_i64(), &body["response"]),
        (401, Some(-1), &Value::Null)
    );

    // Several ids: 207 when some are missing; pages of findAll.
    let other = fake
        .create(NewPayment::failed("order-1", Amount::from(1004)))
        .unwrap();
    let reply = http
        .get(format!(
            "{}/payments?imp_uid[]={id}&imp_uid[]=imp_none",
            fake.url()
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (status, body) = json(reply).await;
    assert_eq!(
        (status, body["response"].as_array().map(Vec::len)),
        (207, Some(1))
    );
    let reply = http
        .get(format!("{}/payments/findAll/order-1?limit=1", fake.url()))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    let (_, body) = json(reply).await;
    assert_eq!(
        (
            body["response"]["total"].as_i64(),
            body["response"]["next"].as_i64()
        ),
        (Some(2), Some(2))
    );
    assert_eq!(
        body["response"]["list"][0]["imp_uid"].as_str(),
        Some(other.as_str())
    );
}

/// Accepts one HTTP request and answers 200; returns its head and body.
async fn receive_one(listener: tokio::net::TcpListener) -> (String, String) {
    let (mut stream, _) = listener.accept().await.unwrap();
    let mut data = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let n = stream.read(&mut buffer).await.unwrap();
        data.extend_from_slice(&buffer[..n]);
        let text = String::from_utf8_lossy(&data).into_owned();
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|l| {
                    l.to_ascii_lowercase()
                        .strip_prefix("content-length: ")
                        .map(|v| v.trim().parse().unwrap())
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length || n == 0 {
                stream
                    .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                    .await
                    .unwrap();
                return (text[..end].to_owned(), text[end + 4..].to_owned());
            }
        }
        if n == 0 {
            panic!("connection closed before the request ended");
        }
    }
}

#[tokio::test]
async fn webhooks_go_out_as_json_with_the_payment_status() {
    let fake = FakeApi::start().await.unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let receiver = tokio::spawn(receive_one(listener));
    fake.send_webhooks_to(&url, WebhookFormat::Json);
    let id = fake
        .create(NewPayment::vbank_ready("order-7", Amount::from(9000)))
        .unwrap();
    assert_eq!(fake.send_webhook(&id).await, Some(200));
    let (head, body) = receiver.await.unwrap();
    assert!(
        head.to_ascii_lowercase()
            .contains("content-type: application/json"),
        "{head}"
    );
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        (body["imp_uid"].as_str(), body["status"].as_str()),
        (Some(id.as_str()), Some("ready"))
    );
    assert_eq!(fake.webhooks()[0].merchant_uid, "order-7");
}

#[tokio::test]
async fn the_request_budget_bounds_the_server() {
    let fake = FakeApi::builder().max_requests(3).start().await.unwrap();
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let reply = http
            .get(format!("{}/payments/imp_x", fake.url()))
            .send()
            .await;
        statuses.push(reply.map(|r| r.status().as_u16()).ok());
    }
    assert_eq!(&statuses[..3], &[Some(401); 3]);
    assert_ne!(statuses[3], Some(401));
    assert_eq!(fake.requests(Route::Payment), 3);
}
