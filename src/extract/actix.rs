//! The extractors for actix-web 4.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest, HttpResponse, ResponseError};

use super::{Callback, CallbackConfig, Redirect, Rejection, WebhookEvent};

fn content_type(request: &HttpRequest) -> &str {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

/// The body, within actix-web's payload limit (`PayloadConfig`, 256 kB
/// unless set).
async fn body(request: &HttpRequest, mut payload: Payload) -> Result<Bytes, Rejection> {
    Bytes::from_request(request, &mut payload)
        .await
        .map_err(|error| Rejection::Body {
            status: error.as_response_error().status_code().as_u16(),
            message: error.to_string(),
        })
}

type Extracting<T> = Pin<Box<dyn Future<Output = Result<T, Rejection>>>>;

/// Reads the body, then `read`s the request with its content type and body.
fn with_body<T: 'static>(
    request: &HttpRequest,
    payload: &mut Payload,
    read: fn(&HttpRequest, &str, &[u8]) -> Result<T, Rejection>,
) -> Extracting<T> {
    let request = request.clone();
    let payload = payload.take();
    Box::pin(async move {
        let body = body(&request, payload).await?;
        read(&request, content_type(&request), &body)
    })
}

impl FromRequest for Callback {
    type Error = Rejection;
    type Future = Extracting<Self>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        with_body(request, payload, |request, content_type, body| {
            let config = request
                .app_data::<CallbackConfig>()
                .cloned()
                .unwrap_or_default();
            Callback::read(content_type, request.query_string(), body, &config)
        })
    }
}

impl FromRequest for Redirect {
    type Error = Rejection;
    type Future = std::future::Ready<Result<Self, Rejection>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        std::future::ready(Redirect::read(request.query_string()))
    }
}

impl FromRequest for WebhookEvent {
    type Error = Rejection;
    type Future = Extracting<Self>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        with_body(request, payload, |_, content_type, body| {
            WebhookEvent::read(content_type, body)
        })
    }
}

/// The status of [`Rejection::status`] with the error's text.
impl ResponseError for Rejection {
    fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status()).unwrap_or(StatusCode::BAD_REQUEST)
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status_code())
            .content_type("text/plain; charset=utf-8")
            .body(self.to_string())
    }
}
