//! The axum extractors through an axum router (`tower::ServiceExt::oneshot`).
#![cfg(feature = "axum")]

use crate::support;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{Request, StatusCode};
use axum::routing::{get, post};
use portone_pg::PaymentResponse;
use portone_pg::extract::{Callback, CallbackConfig, Redirect, Rejection, WebhookEvent};
use tower::ServiceExt;

async fn callback(Callback(response): Callback) -> String {
    let pg = match &response {
        PaymentResponse::Unknown(_) => "unknown".to_owned(),
        known => known.provider().map(|p| p.to_string()).unwrap_or_default(),
    };
    format!("{pg} {}", response.outcome())
}

async fn redirect(Redirect(redirect): Redirect) -> String {
    redirect.imp_uid().unwrap_or_default().to_owned()
}

async fn webhook(WebhookEvent(webhook): WebhookEvent) -> String {
    format!("{} {}", webhook.imp_uid(), webhook.status())
}

/// A handler that takes the rejection itself.
async fn lenient(result: Result<Callback, Rejection>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(rejection) => format!("rejected {}", rejection.status()),
    }
}

fn app() -> Router {
    Router::new()
        .route("/callback", post(callback))
        .route("/lenient", post(lenient))
        .route("/complete", get(redirect))
        .route("/webhook", post(webhook))
        .layer(DefaultBodyLimit::max(4096))
}

async fn send(
    app: Router,
    method: &str,
    uri: &str,
    content_type: Option<&str>,
    body: Vec<u8>,
) -> (StatusCode, String) {
    let mut request = Request::builder().method(method).uri(uri);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = app
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

const JSON: Option<&str> = Some("application/json");

#[tokio::test]
async fn the_callback_is_typed_by_the_query_pg() {
    let thin = support::read("callbacks", "tosspay_v2_paid.json");
    // With ?pg= the thin body is typed; without it serde-style reading
    // would leave it Unknown.
    let (status, text) = send(app(), "POST", "/callback?pg=tosspay_v2", JSON, thin.clone()).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "tosspay_v2 success")
    );
    let (_, text) = send(app(), "POST", "/callback", JSON, thin.clone()).await;
    assert!(text.starts_with("unknown"), "{text}");
    // A store id in the parameter, and a charset on the content type.
    let kcp = support::read("callbacks", "kcp_card_paid_docs.json");
    let (status, text) = send(
        app(),
        "POST",
        "/callback?pg=kcp.T0000",
        Some("application/json; charset=utf-8"),
        kcp.clone(),
    )
    .await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "kcp success"));
    // Another parameter name, required.
    let configured = app().layer(axum::Extension(
        CallbackConfig::default().param("provider").require_pg(),
    ));
    let (status, text) = send(
        configured.clone(),
        "POST",
        "/callback?provider=tosspay_v2",
        JSON,
        thin.clone(),
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "tosspay_v2 success")
    );
    let (status, text) = send(configured, "POST", "/callback?pg=tosspay_v2", JSON, thin).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(text.contains("`provider`"), "{text}");
}

#[tokio::test]
async fn bad_requests_get_their_status_and_the_library_error() {
    let kcp = support::read("callbacks", "kcp_card_paid_docs.json");
    // A body contradicting the request's pg.
    let (status, text) = send(
        app(),
        "POST",
        "/callback?pg=html5_inicis",
        JSON,
        kcp.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        text.contains("kcp") && text.contains("html5_inicis"),
        "{text}"
    );
    // Not JSON at all, and a wrong content type.
    let (status, _) = send(
        app(),
        "POST",
        "/callback?pg=kcp",
        JSON,
        b"{\"imp_uid\":".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, text) = send(
        app(),
        "POST",
        "/callback?pg=kcp",
        Some("text/plain"),
        kcp.clone(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{text}");
    let (status, _) = send(app(), "POST", "/callback?pg=kcp", None, kcp.clone()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = send(app(), "POST", "/callback?pg=no%ZZpg", JSON, kcp.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    // The request's PG twice: the same value passes, two values are refused.
    let (status, text) = send(app(), "POST", "/callback?pg=kcp&pg=kcp", JSON, kcp.clone()).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    for twice in [
        "/callback?pg=kcp&pg=html5_inicis",
        "/callback?pg=tosspay_v2&x=1&pg=kcp",
    ] {
        let (status, text) = send(app(), "POST", twice, JSON, kcp.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{twice}");
        assert!(text.contains("`pg`"), "{text}");
    }
    // Over the router's body limit.
    let mut huge = b"{\"pg_provider\":\"kcp\",\"x\":\"".to_vec();
    huge.extend(std::iter::repeat_n(b'a', 10_000));
    huge.extend(b"\"}");
    let (status, _) = send(app(), "POST", "/callback", JSON, huge).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    // A handler may take the rejection and answer itself.
    let (status, text) = send(app(), "POST", "/lenient", Some("text/plain"), kcp).await;
    assert_eq!((status, text.as_str()), (StatusCode::OK, "rejected 415"));
}

#[tokio::test]
async fn redirects_and_webhooks_in_either_format() {
    let query = support::read_text("redirects", "kcp_mobile_vbank_issued.query");
    let (status, text) = send(
        app(),
        "GET",
        &format!("/complete?{}", query.trim()),
        None,
        vec![],
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "imp_100000000050")
    );
    let (status, _) = send(app(), "GET", "/complete?imp_uid=imp_%zz", None, vec![]).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    let json = support::read("webhooks", "docs_paid.json");
    let (status, text) = send(app(), "POST", "/webhook", JSON, json).await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "imp_1234567890 paid")
    );
    let form = support::read("webhooks", "docs_paid.form");
    let form_type = Some("Application/X-WWW-Form-Urlencoded; charset=UTF-8");
    let (status, text) = send(
        app(),
        "POST",
        "/webhook",
        form_type,
        form.trim_ascii().to_vec(),
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (StatusCode::OK, "imp_1234567890 paid")
    );
    let (status, text) = send(
        app(),
        "POST",
        "/webhook",
        Some("text/xml"),
        b"<x/>".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert!(text.contains("text/xml"), "{text}");
    let (status, _) = send(app(), "POST", "/webhook", JSON, b"{}".to_vec()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
