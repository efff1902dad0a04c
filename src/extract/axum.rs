//! The extractors for axum 0.8 (`axum-core` 0.5).

use axum_core::extract::{FromRequest, FromRequestParts, Request};
use axum_core::response::{IntoResponse, Response};
use bytes::Bytes;
use http::request::Parts;
use http::{StatusCode, header};

use super::{Callback, CallbackConfig, Redirect, Rejection, WebhookEvent};

fn content_type(headers: &http::HeaderMap) -> &str {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The body, within axum's body limit (`DefaultBodyLimit`, 2 MB unless set).
async fn body<S: Send + Sync>(request: Request, state: &S) -> Result<Bytes, Rejection> {
    Bytes::from_request(request, state)
        .await
        .map_err(|rejection| Rejection::Body {
            status: rejection.status().as_u16(),
            message: rejection.body_text(),
        })
}

impl<S: Send + Sync> FromRequest<S> for Callback {
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Rejection> {
        let content_type = content_type(request.headers()).to_owned();
        let query = request.uri().query().unwrap_or("").to_owned();
        let config = request
            .extensions()
            .get::<CallbackConfig>()
            .cloned()
            .unwrap_or_default();
        let body = body(request, state).await?;
        Callback::read(&content_type, &query, &body, &config)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Redirect {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Rejection> {
        Redirect::read(parts.uri.query().unwrap_or(""))
    }
}

impl<S: Send + Sync> FromRequest<S> for WebhookEvent {
    type Rejection = Rejection;

    async fn from_request(request: Request, state: &S) -> Result<Self, Rejection> {
        let content_type = content_type(request.headers()).to_owned();
        let body = body(request, state).await?;
        WebhookEvent::read(&content_type, &body)
    }
}

/// The status of [`Rejection::status`] with the error's text as
/// `text/plain`.
impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status()).unwrap_or(StatusCode::BAD_REQUEST);
        (status, self.to_string()).into_response()
    }
}
