//! The HTTP face of the fake: V1 routes, the `{code, message, response}`
//! envelope, JSON or form bodies, bearer tokens, and the faults a test asked
//! for.

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as Extract};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use portone_pg_core::{Amount, Flag};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::state::{Prepared, ReceivedCancel, Refusal, State, VbankIssue};
use crate::{Fault, Route, Shared, WebhookStatus};

mod balance;
mod billing;
mod codes;
mod escrow;
mod receipt;

pub(crate) use escrow::Delivery;
pub(crate) use receipt::Receipt;

#[cfg(feature = "window")]
fn window_routes() -> Router<Arc<Shared>> {
    crate::window::routes(Router::new())
}

#[cfg(not(feature = "window"))]
fn window_routes() -> Router<Arc<Shared>> {
    Router::new()
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    [
        balance::routes,
        billing::routes,
        codes::routes,
        escrow::routes,
        receipt::routes,
    ]
    .into_iter()
    .fold(Router::new(), |router, routes| routes(router))
    .merge(window_routes())
    .route("/users/getToken", post(token))
    .route("/payments", get(payments))
    .route("/payments/cancel", post(cancel))
    .route("/payments/prepare", post(prepare).put(update_prepared))
    .route("/payments/prepare/{merchant_uid}", get(prepared))
    .route("/payments/find/{merchant_uid}", get(find))
    .route("/payments/find/{merchant_uid}/{status}", get(find))
    .route("/payments/findAll/{merchant_uid}", get(find_all))
    .route("/payments/findAll/{merchant_uid}/{status}", get(find_all))
    .route("/payments/status/{status}", get(by_status))
    .route("/payments/{imp_uid}", get(payment))
    .route("/vbanks", post(issue_vbank))
    .route("/vbanks/{imp_uid}", delete(revoke_vbank).put(change_vbank))
    .route(
        "/certifications/{imp_uid}",
        get(certification).delete(delete_certification),
    )
    .with_state(shared)
}

#[derive(Serialize)]
struct Envelope<'a, T> {
    code: i64,
    message: Option<&'a str>,
    response: Option<T>,
}

pub(crate) fn json_response(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// A successful answer: HTTP `status`, `code` 0.
fn answer<T: Serialize>(status: u16, response: T) -> Result<Answer, Refusal> {
    let body = serde_json::to_string(&Envelope {
        code: 0,
        message: None,
        response: Some(response),
    })
    .map_err(|e| Refusal::new(500, -1, e.to_string()))?;
    Ok(Answer {
        status,
        body,
        webhook: None,
    })
}

fn refusal(refusal: &Refusal) -> Response {
    let body = serde_json::to_string(&Envelope::<()> {
        code: refusal.code,
        message: Some(&refusal.message),
        response: None,
    })
    .unwrap_or_default();
    json_response(refusal.status, body)
}

/// What a route produced, before faults: the reply and, for cancels with
/// `enable_webhook`, a webhook to send.
pub(crate) struct Answer {
    status: u16,
    body: String,
    webhook: Option<WebhookStatus>,
}

/// Every route: count it, apply the fault queued for it, check the token
/// (except for getToken), run the rule under the lock, reply.
async fn serve(
    shared: &Arc<Shared>,
    route: Route,
    headers: &HeaderMap,
    rule: impl FnOnce(&mut State) -> Result<Answer, Refusal>,
) -> Response {
    if shared.spend() {
        return refusal(&Refusal::new(503, -1, "the fake's request budget is spent"));
    }
    let fault = {
        let mut state = shared.lock();
        state.count(route);
        state.take_fault(route)
    };
    match &fault {
        Some(Fault::Slow(delay)) => tokio::time::sleep(*delay).await,
        Some(Fault::Reply { status, body }) => return raw(*status, body.clone()),
        _ => {}
    }
    let (result, due) = {
        let mut state = shared.lock();
        // Scheduled payments fall due as the clock moves, whatever is asked.
        let due = state.run_due();
        let authorization = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok());
        let result = match route {
            Route::Token => Ok(()),
            _ => state.authorize(authorization),
        }
        .and_then(|()| rule(&mut state));
        (result, due)
    };
    for webhook in due {
        shared.spawn_webhook(webhook);
    }
    let response = match result {
        Ok(answer) => {
            if let Some(webhook) = answer.webhook {
                shared.spawn_webhook(webhook);
            }
            json_response(answer.status, answer.body)
        }
        Err(refused) => refusal(&refused),
    };
    match fault {
        Some(Fault::AppliedThenReply { status, body }) => raw(status, body),
        Some(Fault::AppliedThenLost(hold)) => {
            tokio::time::sleep(hold).await;
            response
        }
        _ => response,
    }
}

fn raw(status: u16, body: String) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, body).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
    response
}

/// Reads a JSON or a form body (the API takes both) into `T`. A form's
/// values are strings, which the core value types read leniently, and
/// `extra[requester]` becomes `{"extra": {"requester": …}}`.
fn decode<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, Refusal> {
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    let bad = |e: &dyn std::fmt::Display| Refusal::new(400, -1, format!("invalid body: {e}"));
    if !is_form {
        return serde_json::from_slice(body).map_err(|e| bad(&e));
    }
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(body).map_err(|e| bad(&e))?;
    let mut object = serde_json::Map::new();
    for (key, value) in pairs {
        let value = serde_json::Value::String(value);
        match key.strip_suffix(']').and_then(|k| k.split_once('[')) {
            Some((outer, inner)) => {
                let nested = object
                    .entry(outer)
                    .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
                if let Some(nested) = nested.as_object_mut() {
                    nested.insert(inner.to_owned(), value);
                }
            }
            None => {
                object.insert(key, value);
            }
        }
    }
    let text = serde_json::Value::Object(object).to_string();
    serde_json::from_str(&text).map_err(|e| bad(&e))
}

#[derive(Deserialize)]
struct TokenBody {
    imp_key: String,
    imp_secret: String,
}

async fn token(Extract(shared): Extract<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    serve(&shared, Route::Token, &headers, |state| {
        let body: TokenBody = decode(&headers, &body)?;
        answer(200, state.issue_token(&body.imp_key, &body.imp_secret)?)
    })
    .await
}

fn include_sandbox(query: &[(String, String)]) -> bool {
    query
        .iter()
        .any(|(k, v)| k == "include_sandbox" && v == "true")
}

async fn payment(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Payment, &headers, |state| {
        answer(200, state.payment(&imp_uid, include_sandbox(&query))?)
    })
    .await
}

/// `GET /payments?imp_uid[]=…&merchant_uid[]=…`: 200 when every id was
/// found, 207 when some were, 404 when none.
async fn payments(
    Extract(shared): Extract<Arc<Shared>>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Payments, &headers, |state| {
        let mut asked = 0;
        let mut found = Vec::new();
        for (key, value) in &query {
            match key.as_str() {
                "imp_uid[]" => {
                    asked += 1;
                    found.extend(state.payment(value, false).ok());
                }
                "merchant_uid[]" => {
                    asked += 1;
                    found.extend(state.by_merchant_uid(value, None).first().copied());
                }
                _ => {}
            }
        }
        if asked > 100 {
            return Err(Refusal::new(400, -1, "최대 100건까지 조회할 수 있습니다."));
        }
        match found.len() {
            0 => Err(Refusal::new(
                404,
                -1,
                "해당되는 결제건을 찾지 못하였습니다.",
            )),
            n if n < asked => answer(207, found),
            _ => answer(200, found),
        }
    })
    .await
}

/// The path of `find` and `findAll`: the order id, and a status when the
/// route has one.
type ByOrder = Path<HashMap<String, String>>;

async fn find(
    Extract(shared): Extract<Arc<Shared>>,
    Path(path): ByOrder,
    headers: HeaderMap,
) -> Response {
    let (merchant_uid, status) = (&path["merchant_uid"], path.get("status"));
    serve(&shared, Route::Find, &headers, |state| {
        match state
            .by_merchant_uid(merchant_uid, status.map(String::as_str))
            .first()
        {
            Some(payment) => answer(200, payment),
            None => Err(Refusal::new(404, -1, "거래건이 존재하지 않습니다.")),
        }
    })
    .await
}

#[derive(Serialize)]
struct Page<'a> {
    total: usize,
    previous: usize,
    next: usize,
    list: Vec<&'a crate::state::Payment>,
}

impl<'a> Page<'a> {
    /// Page `page` (from 1) of `all`, `limit` to a page.
    fn of(all: &[&'a crate::state::Payment], page: usize, limit: usize) -> Self {
        let total = all.len();
        let start = (page - 1).saturating_mul(limit).min(total);
        let end = start.saturating_add(limit).min(total);
        Page {
            total,
            previous: page - 1,
            next: if end < total { page + 1 } else { 0 },
            list: all[start..end].to_vec(),
        }
    }
}

/// A request's query parameters, as the routes read them.
struct Params<'a>(&'a [(String, String)]);

impl Params<'_> {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A number, `default` when absent.
    fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, Refusal> {
        self.get(name)
            .map_or(Ok(default), str::parse)
            .map_err(|_| Refusal::new(400, -1, format!("{name}: not a number")))
    }

    /// A time (UNIX seconds) the route requires.
    fn time(&self, name: &str) -> Result<i64, Refusal> {
        self.get(name)
            .and_then(|v| v.parse::<i64>().ok())
            .ok_or_else(|| Refusal::new(400, -1, format!("{name}는 필수입니다.")))
    }
}

async fn find_all(
    Extract(shared): Extract<Arc<Shared>>,
    Path(path): ByOrder,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    let (merchant_uid, status) = (&path["merchant_uid"], path.get("status"));
    serve(&shared, Route::FindAll, &headers, |state| {
        let query = Params(&query);
        let page = query.number::<usize>("page", 1)?.max(1);
        let limit = query.number::<usize>("limit", 20)?;
        if !(1..=1000).contains(&limit) {
            return Err(Refusal::new(400, -1, "limit은 1 이상 1000 이하입니다."));
        }
        let all = state.by_merchant_uid(merchant_uid, status.map(String::as_str));
        if all.is_empty() {
            return Err(Refusal::new(404, -1, "유효하지 않은 merchant_uid"));
        }
        answer(200, Page::of(&all, page, limit))
    })
    .await
}

#[derive(Deserialize)]
struct PrepareBody {
    merchant_uid: String,
    amount: Amount,
    currency: Option<String>,
}

impl From<PrepareBody> for Prepared {
    fn from(body: PrepareBody) -> Self {
        Prepared {
            merchant_uid: body.merchant_uid,
            amount: body.amount,
            currency: body.currency,
        }
    }
}

async fn prepare(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Prepare, &headers, |state| {
        let body: PrepareBody = decode(&headers, &body)?;
        answer(200, state.prepare(body.into())?)
    })
    .await
}

async fn update_prepared(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::PrepareUpdate, &headers, |state| {
        let body: PrepareBody = decode(&headers, &body)?;
        answer(200, state.update_prepared(body.into())?)
    })
    .await
}

async fn prepared(
    Extract(shared): Extract<Arc<Shared>>,
    Path(merchant_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Prepared, &headers, |state| {
        answer(200, state.prepared(&merchant_uid)?)
    })
    .await
}

/// `GET /payments/status/{status}` (`all` for every status): newest first
/// by `started_at` unless `sorting=started`, within `from`..=`to` if given.
async fn by_status(
    Extract(shared): Extract<Arc<Shared>>,
    Path(status): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::PaymentsByStatus, &headers, |state| {
        let query = Params(&query);
        let page = usize::try_from(query.number::<i64>("page", 1)?.max(1)).unwrap_or(1);
        let limit = usize::try_from(query.number::<i64>("limit", 20)?).unwrap_or(0);
        if !(1..=100).contains(&limit) {
            return Err(Refusal::new(400, -1, "limit은 1 이상 100 이하입니다."));
        }
        let (from, to) = (
            query.number("from", i64::MIN)?,
            query.number("to", i64::MAX)?,
        );
        let mut all: Vec<_> = state
            .payments
            .values()
            .filter(|p| !p.sandbox && (status == "all" || p.status == status))
            .filter(|p| (from..=to).contains(&p.started_at))
            .collect();
        all.sort_by(|a, b| {
            a.started_at
                .cmp(&b.started_at)
                .then(a.imp_uid.cmp(&b.imp_uid))
        });
        if query.get("sorting") != Some("started") {
            all.reverse();
        }
        answer(200, Page::of(&all, page, limit))
    })
    .await
}

/// A few codes of the KFTC standard, enough to exercise the lists.
#[derive(Deserialize)]
struct CancelBody {
    imp_uid: Option<String>,
    merchant_uid: Option<String>,
    amount: Option<Amount>,
    tax_free: Option<Amount>,
    vat_amount: Option<Amount>,
    checksum: Option<Amount>,
    reason: Option<String>,
    refund_holder: Option<String>,
    refund_bank: Option<String>,
    refund_account: Option<String>,
    refund_tel: Option<String>,
    enable_webhook: Option<Flag>,
    extra: Option<CancelExtra>,
}

#[derive(Deserialize)]
struct CancelExtra {
    requester: Option<String>,
}

async fn cancel(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Cancel, &headers, |state| {
        let body: CancelBody = decode(&headers, &body)?;
        let request = ReceivedCancel {
            imp_uid: body.imp_uid,
            merchant_uid: body.merchant_uid,
            amount: body.amount,
            tax_free: body.tax_free,
            vat_amount: body.vat_amount,
            checksum: body.checksum,
            reason: body.reason,
            refund_holder: body.refund_holder,
            refund_bank: body.refund_bank,
            refund_account: body.refund_account,
            refund_tel: body.refund_tel,
            requester: body.extra.and_then(|e| e.requester),
            enable_webhook: body.enable_webhook.is_some_and(Flag::get),
            applied: false,
        };
        let (payment, webhook) = state.cancel(request)?;
        let mut reply = answer(200, &payment)?;
        if webhook {
            reply.webhook = Some(WebhookStatus::of(&payment));
        }
        Ok(reply)
    })
    .await
}

#[derive(Deserialize)]
struct VbankBody {
    merchant_uid: String,
    amount: Amount,
    vbank_code: String,
    vbank_due: i64,
    #[serde(default)]
    vbank_holder: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

async fn issue_vbank(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::IssueVbank, &headers, |state| {
        let body: VbankBody = decode(&headers, &body)?;
        answer(
            200,
            state.issue_vbank(VbankIssue {
                merchant_uid: body.merchant_uid,
                amount: body.amount,
                vbank_code: body.vbank_code,
                due: body.vbank_due,
                holder: body.vbank_holder,
                name: body.name,
            })?,
        )
    })
    .await
}

#[derive(Deserialize)]
struct VbankChange {
    #[serde(default)]
    amount: Option<Amount>,
    #[serde(default)]
    vbank_due: Option<i64>,
}

async fn change_vbank(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::ChangeVbank, &headers, |state| {
        let body: VbankChange = decode(&headers, &body)?;
        answer(
            200,
            state.change_vbank(&imp_uid, body.amount, body.vbank_due)?,
        )
    })
    .await
}

async fn revoke_vbank(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::RevokeVbank, &headers, |state| {
        answer(200, state.revoke_vbank(&imp_uid)?)
    })
    .await
}

async fn certification(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(
        &shared,
        Route::Certification,
        &headers,
        |state| match state.certifications.get(&imp_uid) {
            Some(certification) => answer(200, certification),
            None => Err(Refusal::new(404, -1, "인증결과가 존재하지 않습니다.")),
        },
    )
    .await
}

/// `DELETE /certifications/{imp_uid}`: forgets an identity verification's
/// personal data and answers it as it was.
async fn delete_certification(
    Extract(shared): Extract<Arc<Shared>>,
    Path(imp_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Certification, &headers, |state| match state
        .certifications
        .remove(&imp_uid)
    {
        Some(certification) => answer(200, certification),
        None => Err(Refusal::new(404, -1, "인증결과가 존재하지 않습니다.")),
    })
    .await
}
