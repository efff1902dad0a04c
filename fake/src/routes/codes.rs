//! `/banks` and `/cards`: the standard codes of banks and card companies,
//! listed or looked up one at a time.

use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, State as Extract};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use serde::Serialize;

use super::{answer, serve};
use crate::state::Refusal;
use crate::{Route, Shared};

/// A few of the banks' standard codes.
const BANKS: &[(&str, &str)] = &[
    ("004", "KB국민은행"),
    ("020", "우리은행"),
    ("081", "하나은행"),
    ("088", "신한은행"),
];

/// A few of the card companies' codes, as
/// <https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/support/code-info/card-code.mdx>
/// lists them.
const CARDS: &[(&str, &str)] = &[
    ("361", "BC카드"),
    ("365", "삼성카드"),
    ("366", "신한카드"),
    ("381", "KB국민카드"),
];

#[derive(Serialize)]
struct StandardCode {
    code: &'static str,
    name: &'static str,
}

fn listed(table: &'static [(&'static str, &'static str)]) -> Vec<StandardCode> {
    table
        .iter()
        .map(|&(code, name)| StandardCode { code, name })
        .collect()
}

fn one(
    table: &'static [(&'static str, &'static str)],
    code: &str,
) -> Result<StandardCode, Refusal> {
    listed(table)
        .into_iter()
        .find(|c| c.code == code)
        .ok_or_else(|| Refusal::new(404, 1, "존재하지 않는 코드입니다."))
}

pub(super) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route("/banks", get(|s, h| list(s, h, BANKS)))
        .route("/cards", get(|s, h| list(s, h, CARDS)))
        .route("/banks/{code}", get(|s, p, h| lookup(s, p, h, BANKS)))
        .route("/cards/{code}", get(|s, p, h| lookup(s, p, h, CARDS)))
}

async fn list(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    table: &'static [(&'static str, &'static str)],
) -> Response {
    serve(&shared, Route::Codes, &headers, |_| {
        answer(200, listed(table))
    })
    .await
}

async fn lookup(
    Extract(shared): Extract<Arc<Shared>>,
    Path(code): Path<String>,
    headers: HeaderMap,
    table: &'static [(&'static str, &'static str)],
) -> Response {
    serve(&shared, Route::Codes, &headers, |_| {
        answer(200, one(table, &code)?)
    })
    .await
}
