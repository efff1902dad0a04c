//! The billing-key routes (`/subscribe/...`).

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, Query, State as Extract};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use portone_pg_core::Amount;
use serde::Deserialize;

use super::{Page, Params, answer, decode, serve};
use crate::billing::Charge;
use crate::state::Refusal;
use crate::{Route, Shared};

pub(super) fn routes(router: Router<Arc<Shared>>) -> Router<Arc<Shared>> {
    router
        .route("/subscribe/customers", get(billing_keys))
        .route(
            "/subscribe/customers/{customer_uid}",
            post(issue).get(billing_key).delete(delete_key),
        )
        .route("/subscribe/payments/again", post(again))
        .route("/subscribe/payments/onetime", post(onetime))
        .route(
            "/subscribe/payments/schedule",
            post(schedule).get(schedules_between),
        )
        .route("/subscribe/payments/unschedule", post(unschedule))
        .route(
            "/subscribe/payments/schedule/{merchant_uid}",
            get(scheduled).put(reschedule),
        )
        .route(
            "/subscribe/payments/schedule/customers/{customer_uid}",
            get(customer_schedules),
        )
        .route(
            "/subscribe/payments/schedule/{merchant_uid}/retry",
            post(retry),
        )
        .route(
            "/subscribe/payments/schedule/{merchant_uid}/reschedule",
            post(schedule_again),
        )
        .route(
            "/subscribe/customers/{customer_uid}/payments",
            get(key_payments),
        )
}

#[derive(Deserialize)]
struct IssueBody {
    card_number: String,
    expiry: String,
    #[serde(default)]
    customer_id: Option<String>,
}

async fn issue(
    Extract(shared): Extract<Arc<Shared>>,
    Path(customer_uid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::BillingKey, &headers, |state| {
        let body: IssueBody = decode(&headers, &body)?;
        answer(
            200,
            state.issue_key(
                &customer_uid,
                &body.card_number,
                &body.expiry,
                body.customer_id,
            )?,
        )
    })
    .await
}

async fn billing_key(
    Extract(shared): Extract<Arc<Shared>>,
    Path(customer_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::BillingKey, &headers, |state| {
        answer(200, state.billing_key(&customer_uid)?)
    })
    .await
}

/// `GET /subscribe/customers?customer_uid[]=…`: 200 when every key was
/// found, 207 when some were, 404 when none.
async fn billing_keys(
    Extract(shared): Extract<Arc<Shared>>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::BillingKeys, &headers, |state| {
        let asked: Vec<&String> = query
            .iter()
            .filter(|(key, _)| key == "customer_uid[]")
            .map(|(_, value)| value)
            .collect();
        let found: Vec<_> = asked
            .iter()
            .filter_map(|uid| state.billing.keys.get(uid.as_str()))
            .collect();
        match (found.len(), asked.len()) {
            (0, _) => Err(Refusal::new(
                404,
                1,
                "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.",
            )),
            (found_count, asked_count) if found_count < asked_count => answer(207, found),
            _ => answer(200, found),
        }
    })
    .await
}

async fn delete_key(
    Extract(shared): Extract<Arc<Shared>>,
    Path(customer_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::BillingKey, &headers, |state| {
        answer(200, state.delete_key(&customer_uid)?)
    })
    .await
}

/// The order fields every charge reads.
#[derive(Deserialize)]
struct Order {
    merchant_uid: String,
    amount: Amount,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    currency: Option<String>,
    #[serde(default)]
    custom_data: Option<String>,
}

impl Order {
    fn charge(self) -> Charge {
        Charge {
            merchant_uid: self.merchant_uid,
            amount: self.amount,
            name: self.name,
            currency: self.currency,
            custom_data: self.custom_data,
        }
    }
}

#[derive(Deserialize)]
struct AgainBody {
    customer_uid: String,
    #[serde(flatten)]
    order: Order,
}

async fn again(Extract(shared): Extract<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    serve(&shared, Route::Again, &headers, |state| {
        let body: AgainBody = decode(&headers, &body)?;
        if body.order.name.as_deref().is_none_or(str::is_empty) {
            return Err(Refusal::new(400, -1, "name은 필수입니다."));
        }
        let imp_uid = state.charge(&body.customer_uid, body.order.charge())?;
        answer(200, state.payment(&imp_uid, true)?)
    })
    .await
}

#[derive(Deserialize)]
struct OnetimeBody {
    card_number: String,
    expiry: String,
    #[serde(default)]
    customer_uid: Option<String>,
    #[serde(flatten)]
    order: Order,
}

/// `POST /subscribe/payments/onetime`: the card is stored under the given
/// `customer_uid`, or under a throwaway one that is removed after the
/// charge.
async fn onetime(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Onetime, &headers, |state| {
        let body: OnetimeBody = decode(&headers, &body)?;
        let (customer_uid, stored) = match &body.customer_uid {
            Some(uid) => (uid.clone(), true),
            None => (format!("onetime-{}", body.order.merchant_uid), false),
        };
        state.issue_key(&customer_uid, &body.card_number, &body.expiry, None)?;
        let charged = state.charge(&customer_uid, body.order.charge());
        if !stored {
            state.billing.keys.remove(&customer_uid);
        }
        let imp_uid = charged?;
        let payment = state.payments.get_mut(&imp_uid);
        if let (Some(payment), false) = (payment, stored) {
            payment.customer_uid = None;
            payment.customer_uid_usage = None;
        }
        answer(200, state.payment(&imp_uid, true)?)
    })
    .await
}

#[derive(Deserialize)]
struct ScheduleBody {
    customer_uid: String,
    schedules: Vec<ScheduleEntry>,
}

#[derive(Deserialize)]
struct ScheduleEntry {
    schedule_at: i64,
    #[serde(flatten)]
    order: Order,
}

async fn schedule(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Schedule, &headers, |state| {
        let body: ScheduleBody = decode(&headers, &body)?;
        let schedules = body
            .schedules
            .into_iter()
            .map(|entry| (entry.schedule_at, entry.order.charge()))
            .collect();
        answer(200, state.schedule(&body.customer_uid, schedules)?)
    })
    .await
}

#[derive(Deserialize)]
struct UnscheduleBody {
    customer_uid: String,
    #[serde(default)]
    merchant_uid: Vec<String>,
}

async fn unschedule(
    Extract(shared): Extract<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Unschedule, &headers, |state| {
        let body: UnscheduleBody = decode(&headers, &body)?;
        answer(
            200,
            state.unschedule(&body.customer_uid, &body.merchant_uid)?,
        )
    })
    .await
}

async fn scheduled(
    Extract(shared): Extract<Arc<Shared>>,
    Path(merchant_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Scheduled, &headers, |state| {
        answer(200, state.scheduled(&merchant_uid)?)
    })
    .await
}

#[derive(Deserialize)]
struct RescheduleBody {
    schedule_at: i64,
}

async fn reschedule(
    Extract(shared): Extract<Arc<Shared>>,
    Path(merchant_uid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Scheduled, &headers, |state| {
        let body: RescheduleBody = decode(&headers, &body)?;
        answer(200, state.reschedule(&merchant_uid, body.schedule_at)?)
    })
    .await
}

async fn customer_schedules(
    Extract(shared): Extract<Arc<Shared>>,
    Path(customer_uid): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::CustomerSchedules, &headers, |state| {
        let query = Params(&query);
        let (from, to) = (query.time("from")?, query.time("to")?);
        answer(
            200,
            state.schedules_of(Some(&customer_uid), from, to, query.get("schedule-status")),
        )
    })
    .await
}

async fn retry(
    Extract(shared): Extract<Arc<Shared>>,
    Path(merchant_uid): Path<String>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Scheduled, &headers, |state| {
        let imp_uid = state.retry_schedule(&merchant_uid)?;
        answer(200, state.payment(&imp_uid, true)?)
    })
    .await
}

async fn schedule_again(
    Extract(shared): Extract<Arc<Shared>>,
    Path(merchant_uid): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    serve(&shared, Route::Scheduled, &headers, |state| {
        let body: RescheduleBody = decode(&headers, &body)?;
        answer(200, state.schedule_again(&merchant_uid, body.schedule_at)?)
    })
    .await
}

/// The payments made with a stored card, newest first, 20 a page.
async fn key_payments(
    Extract(shared): Extract<Arc<Shared>>,
    Path(customer_uid): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::BillingKey, &headers, |state| {
        state.billing_key(&customer_uid)?;
        let page = Params(&query).number::<usize>("page", 1)?.max(1);
        let mut all: Vec<_> = state
            .payments
            .values()
            .filter(|p| p.customer_uid.as_deref() == Some(customer_uid.as_str()))
            .collect();
        all.sort_by(|a, b| {
            b.started_at
                .cmp(&a.started_at)
                .then(b.imp_uid.cmp(&a.imp_uid))
        });
        answer(200, Page::of(&all, page, 20))
    })
    .await
}

async fn schedules_between(
    Extract(shared): Extract<Arc<Shared>>,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
) -> Response {
    serve(&shared, Route::Schedule, &headers, |state| {
        let query = Params(&query);
        let (from, to) = (query.time("schedule_from")?, query.time("schedule_to")?);
        answer(
            200,
            state.schedules_of(None, from, to, query.get("schedule_status")),
        )
    })
    .await
}
