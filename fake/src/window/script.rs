//! The SDK stand-in's script at the SDK's paths, with CORS for the page's
//! origin.

use std::sync::Arc;

use axum::extract::{Path, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::SCRIPT;
use crate::Shared;

fn script_text(shared: &Shared) -> String {
    SCRIPT.replace("FAKE_ORIGIN", &shared.origin())
}

fn javascript(body: String) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    response
}

pub(super) async fn script(Extract(shared): Extract<Arc<Shared>>) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    javascript(script_text(&shared))
}

/// The ES module form: the same script, `IMP` also its default export.
pub(super) async fn module(Extract(shared): Extract<Arc<Shared>>) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    javascript(format!(
        "{}\nexport default window.IMP;\n",
        script_text(&shared)
    ))
}

/// `/js/iamport.payment-{version}.js`, the legacy path.
pub(super) async fn legacy_script(
    Extract(shared): Extract<Arc<Shared>>,
    Path(file): Path<String>,
) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    match file.starts_with("iamport.payment-") && file.ends_with(".js") {
        true => javascript(script_text(&shared)),
        false => (StatusCode::NOT_FOUND, "not a script the fake serves").into_response(),
    }
}

/// CORS: the page and the fake are different origins; the page's origin
/// is echoed, for POSTs with a JSON body.
pub(super) fn cors(headers: &HeaderMap, mut response: Response) -> Response {
    if let Some(origin) = headers.get(header::ORIGIN) {
        let h = response.headers_mut();
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("POST"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("content-type"),
        );
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
    response
}

pub(super) async fn preflight(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
) -> Response {
    // Past the budget the fake stops; this request is still answered.
    let _ = shared.spend();
    cors(&headers, StatusCode::NO_CONTENT.into_response())
}
