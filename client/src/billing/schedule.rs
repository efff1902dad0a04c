//! Payments PortOne makes on a stored card at a set time: scheduling,
//! withdrawing, moving and retrying them, and reading them back.

use portone_pg_core::Amount;
use portone_pg_core::rest::{Payment, ScheduledPayment};
use serde::Serialize;

use super::charge::paid;
use super::{Order, query_value};
use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Buyer, Replay, json_body};
use crate::{Client, Error, ErrorKind};

/// A payment PortOne is to make with a stored card at `schedule_at` (UNIX
/// seconds), for [`Client::schedule`].
#[derive(Clone, Debug)]
pub struct Schedule {
    schedule_at: i64,
    order: Order,
}

impl Schedule {
    /// Charges `amount` for the order `merchant_uid` at `schedule_at`.
    pub fn new(merchant_uid: &str, schedule_at: i64, amount: Amount, name: &str) -> Self {
        Schedule {
            schedule_at,
            order: Order::new(merchant_uid, amount, name),
        }
    }

    /// The order the payment will carry.
    pub fn merchant_uid(&self) -> &str {
        &self.order.merchant_uid
    }

    /// The amount to charge.
    pub fn amount(&self) -> Amount {
        self.order.amount
    }
}

order_setters!(Schedule);

#[derive(Serialize)]
struct ScheduleBody<'a> {
    customer_uid: &'a str,
    schedules: Vec<ScheduleEntry<'a>>,
}

#[derive(Serialize)]
struct ScheduleEntry<'a> {
    schedule_at: i64,
    #[serde(flatten)]
    order: &'a Order,
}

#[derive(Serialize)]
struct UnscheduleBody<'a> {
    customer_uid: &'a str,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    merchant_uid: &'a [&'a str],
}

const UNSCHEDULE: &str = "POST /subscribe/payments/unschedule";

impl Client {
    /// `POST /subscribe/payments/schedule`: schedules payments on the card
    /// stored as `customer_uid`, each at its time with its own
    /// `merchant_uid`, and returns them as PortOne records them. When a
    /// schedule runs, PortOne sends a webhook like for any payment; the
    /// payment it names is what proves it.
    ///
    /// Scheduling twice the same `merchant_uid` is refused by PortOne, so an
    /// unknown outcome is resolved by looking the schedules up: all there
    /// means done, none means the request is sent once more.
    pub async fn schedule(
        &self,
        customer_uid: &str,
        schedules: &[Schedule],
    ) -> Result<Vec<ScheduledPayment>, Error> {
        const ENDPOINT: &str = "POST /subscribe/payments/schedule";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            if schedules.is_empty() {
                return Err(Error::new(ErrorKind::InvalidRequest, ENDPOINT)
                    .with_message("no schedule given"));
            }
            let body = json_body(
                ENDPOINT,
                &ScheduleBody {
                    customer_uid,
                    schedules: schedules
                        .iter()
                        .map(|s| ScheduleEntry {
                            schedule_at: s.schedule_at,
                            order: &s.order,
                        })
                        .collect(),
                },
            )?;
            let url = format!("{}/subscribe/payments/schedule", self.shared.base);
            let (call, url, body) = (&call, &url, &body);
            let send = move || async move {
                let made: Vec<ScheduledPayment> = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.json_request(reqwest::Method::POST, url, body)
                    })
                    .await?;
                of_schedules(ENDPOINT, &made, customer_uid, schedules)?;
                Ok(made)
            };
            let probe = move || async move {
                let mut found = Vec::new();
                for schedule in schedules {
                    match self.read_schedule(call, &schedule.order.merchant_uid).await {
                        Ok(made) => found.push(made),
                        Err(error) if error.is_not_found() => {}
                        Err(error) => return Err(error),
                    }
                }
                if found.is_empty() {
                    return Ok(Probe::NotApplied);
                }
                match of_schedules(ENDPOINT, &found, customer_uid, schedules) {
                    Ok(()) if found.len() == schedules.len() => Ok(Probe::Applied(found)),
                    _ => Ok(Probe::Other("only some of the schedules are there".into())),
                }
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        })
        .await
    }

    /// `POST /subscribe/payments/unschedule`: withdraws the scheduled
    /// payments `merchant_uids` of `customer_uid` and returns them,
    /// withdrawn. Withdrawing twice is refused by PortOne and changes
    /// nothing, so this is not resent.
    ///
    /// An empty `merchant_uids` is an [`ErrorKind::InvalidRequest`] error
    /// and nothing is sent: V1 reads a request without `merchant_uid` as
    /// "every schedule of the customer", which is
    /// [`unschedule_all`](Self::unschedule_all).
    pub async fn unschedule(
        &self,
        customer_uid: &str,
        merchant_uids: &[&str],
    ) -> Result<Vec<ScheduledPayment>, Error> {
        if merchant_uids.is_empty() {
            return Err(
                Error::new(ErrorKind::InvalidRequest, UNSCHEDULE).with_message(
                    "no merchant_uid to withdraw; unschedule_all withdraws every schedule",
                ),
            );
        }
        self.withdraw(customer_uid, merchant_uids).await
    }

    /// `POST /subscribe/payments/unschedule` without `merchant_uid`:
    /// withdraws every payment still scheduled for `customer_uid` and
    /// returns them, withdrawn.
    pub async fn unschedule_all(&self, customer_uid: &str) -> Result<Vec<ScheduledPayment>, Error> {
        self.withdraw(customer_uid, &[]).await
    }

    async fn withdraw(
        &self,
        customer_uid: &str,
        merchant_uids: &[&str],
    ) -> Result<Vec<ScheduledPayment>, Error> {
        let call = Call::new(UNSCHEDULE, None, None);
        self.run(&call, async {
            let body = json_body(
                UNSCHEDULE,
                &UnscheduleBody {
                    customer_uid,
                    merchant_uid: merchant_uids,
                },
            )?;
            let url = format!("{}/subscribe/payments/unschedule", self.shared.base);
            let revoked: Vec<ScheduledPayment> = self
                .call(&call, UNSCHEDULE, Replay::Never, || {
                    self.json_request(reqwest::Method::POST, &url, &body)
                })
                .await?;
            for schedule in &revoked {
                if schedule.customer_uid.as_deref() != Some(customer_uid)
                    || (!merchant_uids.is_empty()
                        && !merchant_uids.contains(&schedule.merchant_uid.as_str()))
                {
                    return Err(foreign(UNSCHEDULE, "schedule"));
                }
            }
            Ok(revoked)
        })
        .await
    }

    /// `GET /subscribe/payments/schedule/{merchant_uid}`: one scheduled
    /// payment. None is an [`ErrorKind::Api`] error with HTTP status 404.
    pub async fn scheduled(&self, merchant_uid: &str) -> Result<ScheduledPayment, Error> {
        let call = Call::new(
            "GET /subscribe/payments/schedule/{merchant_uid}",
            None,
            Some(merchant_uid),
        );
        self.run(&call, self.read_schedule(&call, merchant_uid))
            .await
    }

    async fn read_schedule(
        &self,
        call: &Call,
        merchant_uid: &str,
    ) -> Result<ScheduledPayment, Error> {
        const ENDPOINT: &str = "GET /subscribe/payments/schedule/{merchant_uid}";
        let url = self.url(ENDPOINT, "subscribe/payments/schedule", &[merchant_uid])?;
        let schedule: ScheduledPayment = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        if schedule.merchant_uid != merchant_uid {
            return Err(foreign(ENDPOINT, "schedule"));
        }
        Ok(schedule)
    }

    /// `PUT /subscribe/payments/schedule/{merchant_uid}`: moves a payment
    /// that has not run yet to `schedule_at`. Sending it twice sets the
    /// same time, so it is retried after a 401 like a lookup.
    pub async fn reschedule(
        &self,
        merchant_uid: &str,
        schedule_at: i64,
    ) -> Result<ScheduledPayment, Error> {
        const ENDPOINT: &str = "PUT /subscribe/payments/schedule/{merchant_uid}";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        self.run(&call, async {
            let url = self.url(ENDPOINT, "subscribe/payments/schedule", &[merchant_uid])?;
            let body = json_body(ENDPOINT, &serde_json::json!({ "schedule_at": schedule_at }))?;
            let schedule: ScheduledPayment = self
                .call(&call, ENDPOINT, Replay::Safe, || {
                    self.json_request(reqwest::Method::PUT, &url, &body)
                })
                .await?;
            if schedule.merchant_uid != merchant_uid
                || schedule.schedule_at.unix_seconds() != Some(schedule_at)
            {
                return Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply is not this schedule at the time asked for"));
            }
            Ok(schedule)
        })
        .await
    }

    /// `POST /subscribe/payments/schedule/{merchant_uid}/retry`: charges
    /// now a scheduled payment that failed or was withdrawn, and returns the
    /// payment, paid (declined: [`ErrorKind::ChargeDeclined`]). The same
    /// guarantee as [`again`](Self::again): a lost reply is resolved by the
    /// order's paid payment, never by a blind resend.
    pub async fn retry_schedule(&self, merchant_uid: &str) -> Result<Payment, Error> {
        const ENDPOINT: &str = "POST /subscribe/payments/schedule/{merchant_uid}/retry";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        self.run(&call, async {
            let schedule = self.read_schedule(&call, merchant_uid).await?;
            let order = Order::new(
                merchant_uid,
                schedule.amount,
                schedule.name.as_deref().unwrap_or_default(),
            );
            let mut url = self.url(ENDPOINT, "subscribe/payments/schedule", &[merchant_uid])?;
            url.push_str("/retry");
            let payment = self.charge(&call, ENDPOINT, &url, b"{}", &order).await?;
            paid(ENDPOINT, payment)
        })
        .await
    }

    /// `POST /subscribe/payments/schedule/{merchant_uid}/reschedule`:
    /// schedules again, at `schedule_at`, a payment that failed or was
    /// withdrawn. An unknown outcome is resolved by reading the schedule.
    pub async fn schedule_again(
        &self,
        merchant_uid: &str,
        schedule_at: i64,
    ) -> Result<ScheduledPayment, Error> {
        const ENDPOINT: &str = "POST /subscribe/payments/schedule/{merchant_uid}/reschedule";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        self.run(&call, async {
            let mut url = self.url(ENDPOINT, "subscribe/payments/schedule", &[merchant_uid])?;
            url.push_str("/reschedule");
            let body = json_body(ENDPOINT, &serde_json::json!({ "schedule_at": schedule_at }))?;
            let moved = |s: &ScheduledPayment| {
                s.merchant_uid == merchant_uid
                    && s.schedule_status == "scheduled"
                    && s.schedule_at.unix_seconds() == Some(schedule_at)
            };
            let (call, url, body, moved) = (&call, &url, &body, &moved);
            let send = move || async move {
                let schedule: ScheduledPayment = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.json_request(reqwest::Method::POST, url, body)
                    })
                    .await?;
                match moved(&schedule) {
                    true => Ok(schedule),
                    false => Err(Error::new(ErrorKind::Body, ENDPOINT)
                        .with_message("the reply is not this schedule at the time asked for")),
                }
            };
            let probe = move || async move {
                let schedule = self.read_schedule(call, merchant_uid).await?;
                Ok(match moved(&schedule) {
                    true => Probe::Applied(schedule),
                    false => Probe::NotApplied,
                })
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        })
        .await
    }

    /// `GET /subscribe/payments/schedule`: the payments scheduled between
    /// `from` and `to` (UNIX seconds) on every card, of one status
    /// (`scheduled`, `executed`, `revoked`) if given; one page.
    pub async fn schedules(
        &self,
        from: i64,
        to: i64,
        status: Option<&str>,
        page: u32,
    ) -> Result<Vec<ScheduledPayment>, Error> {
        const ENDPOINT: &str = "GET /subscribe/payments/schedule";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            let mut url = format!(
                "{}/subscribe/payments/schedule?schedule_from={from}&schedule_to={to}&page={}",
                self.shared.base,
                page.max(1)
            );
            if let Some(status) = status {
                url.push_str("&schedule_status=");
                url.push_str(&query_value(ENDPOINT, status)?);
            }
            let list: Vec<ScheduledPayment> = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            let outside = list.iter().any(|s| {
                s.schedule_at
                    .unix_seconds()
                    .is_none_or(|at| !(from..=to).contains(&at))
                    || status.is_some_and(|status| s.schedule_status != status)
            });
            match outside {
                true => Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the list holds a schedule outside the query")),
                false => Ok(list),
            }
        })
        .await
    }

    /// `GET /subscribe/payments/schedule/customers/{customer_uid}`: the
    /// payments scheduled on a card between `from` and `to` (UNIX seconds),
    /// of one status (`scheduled`, `executed`, `revoked`) if given.
    pub async fn schedules_of(
        &self,
        customer_uid: &str,
        from: i64,
        to: i64,
        status: Option<&str>,
    ) -> Result<Vec<ScheduledPayment>, Error> {
        const ENDPOINT: &str = "GET /subscribe/payments/schedule/customers/{customer_uid}";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            let mut url = self.url(
                ENDPOINT,
                "subscribe/payments/schedule/customers",
                &[customer_uid],
            )?;
            url.push_str(&format!("?from={from}&to={to}"));
            if let Some(status) = status {
                url.push_str("&schedule-status=");
                url.push_str(&query_value(ENDPOINT, status)?);
            }
            let list: Vec<ScheduledPayment> = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            if list
                .iter()
                .any(|s| s.customer_uid.as_deref() != Some(customer_uid))
            {
                return Err(foreign(ENDPOINT, "customer"));
            }
            Ok(list)
        })
        .await
    }
}

/// Scheduled payments must be those asked for, on that card, for those
/// amounts and times.
fn of_schedules(
    endpoint: &'static str,
    made: &[ScheduledPayment],
    customer_uid: &str,
    asked: &[Schedule],
) -> Result<(), Error> {
    for schedule in made {
        let matches = asked.iter().any(|a| {
            a.order.merchant_uid == schedule.merchant_uid
                && a.order.amount == schedule.amount
                && schedule.schedule_at.unix_seconds() == Some(a.schedule_at)
        });
        if !matches || schedule.customer_uid.as_deref() != Some(customer_uid) {
            return Err(foreign(endpoint, "schedule"));
        }
    }
    Ok(())
}
