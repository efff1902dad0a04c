//! The actix-web extractors through actix-web's test service.
#![cfg(feature = "actix-web")]

use crate::support;

use actix_web::http::StatusCode;
use actix_web::test::{TestRequest, call_service, init_service, read_body};
use actix_web::web::{self, PayloadConfig};
use actix_web::{App, HttpResponse};
use portone_pg::PaymentResponse;
use portone_pg::extract::{Callback, CallbackConfig, Redirect, WebhookEvent};

async fn callback(Callback(response): Callback) -> HttpResponse {
    let pg = match &response {
        PaymentResponse::Unknown(_) => "unknown".to_owned(),
        known => known.provider().map(|p| p.to_string()).unwrap_or_default(),
    };
    HttpResponse::Ok().body(format!("{pg} {}", response.outcome()))
}

async fn redirect(Redirect(redirect): Redirect) -> HttpResponse {
    HttpResponse::Ok().body(redirect.imp_uid().unwrap_or_default().to_owned())
}

async fn webhook(WebhookEvent(webhook): WebhookEvent) -> HttpResponse {
    HttpResponse::Ok().body(format!("{} {}", webhook.imp_uid(), webhook.status()))
}

macro_rules! app {
    ($($data:expr),*) => {
        init_service(
            App::new()
                $(.app_data($data))*
                .app_data(PayloadConfig::new(4096))
                .route("/callback", web::post().to(callback))
                .route("/complete", web::get().to(redirect))
                .route("/webhook", web::post().to(webhook)),
        )
        .await
    };
}

/// Calls the service; the answer's status and text.
async fn send<S, R>(app: &S, request: R) -> (StatusCode, String)
where
    S: actix_web::dev::Service<
            R,
            Response = actix_web::dev::ServiceResponse,
            Error = actix_web::Error,
        >,
{
    let response = call_service(app, request).await;
    let status = response.status();
    (
        status,
        String::from_utf8(read_body(response).await.to_vec()).unwrap(),
    )
}

#[actix_web::test]
async fn callbacks_redirects_and_webhooks() {
    let app = app!();
    let thin = support::read("callbacks", "tosspay_v2_paid.json");
    let post = |uri: &str, content_type: &str, body: Vec<u8>| {
        TestRequest::post()
            .uri(uri)
            .insert_header(("content-type", content_type))
            .set_payload(body)
            .to_request()
    };
    let (status, body) = send(
        &app,
        post("/callback?pg=tosspay_v2", "application/json", thin.clone()),
    )
    .await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "tosspay_v2 success")
    );
    let (_, body) = send(&app, post("/callback", "application/json", thin.clone())).await;
    assert!(body.starts_with("unknown"), "{body}");

    let kcp = support::read("callbacks", "kcp_card_paid_docs.json");
    let (status, body) = send(
        &app,
        post("/callback?pg=html5_inicis", "application/json", kcp.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("html5_inicis"), "{body}");
    let (status, _) = send(&app, post("/callback?pg=kcp", "text/plain", kcp.clone())).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, body) = send(
        &app,
        post("/callback?pg=kcp&pg=kcp", "application/json", kcp.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for twice in [
        "/callback?pg=kcp&pg=html5_inicis",
        "/callback?pg=tosspay_v2&pg=kcp",
    ] {
        let (status, body) = send(&app, post(twice, "application/json", kcp.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{twice}");
        assert!(body.contains("`pg`"), "{body}");
    }
    let huge = vec![b' '; 10_000];
    let (status, _) = send(&app, post("/callback?pg=kcp", "application/json", huge)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let query = support::read_text("redirects", "kcp_mobile_vbank_issued.query");
    let request = TestRequest::get()
        .uri(&format!("/complete?{}", query.trim()))
        .to_request();
    let (status, body) = send(&app, request).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "imp_100000000050")
    );

    let form = support::read("webhooks", "docs_paid.form");
    let request = post(
        "/webhook",
        "application/x-www-form-urlencoded; charset=utf-8",
        form.trim_ascii().to_vec(),
    );
    let (status, body) = send(&app, request).await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "imp_1234567890 paid")
    );
    let (status, _) = send(&app, post("/webhook", "text/xml", b"<x/>".to_vec())).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // A required, renamed parameter.
    let app = app!(CallbackConfig::default().param("provider").require_pg());
    let (status, body) = send(
        &app,
        post("/callback?pg=tosspay_v2", "application/json", thin.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("`provider`"), "{body}");
    let (status, _) = send(
        &app,
        post("/callback?provider=tosspay_v2", "application/json", thin),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
}
