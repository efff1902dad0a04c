//! The billing-key rules of the fake, without HTTP: stored cards per
//! `customer_uid`, charges of them (`again`, `onetime`), and scheduled
//! payments that run on the fake's clock.

use std::collections::BTreeMap;

use portone_pg_core::Amount;
use serde::Serialize;

use crate::state::{Refusal, State};
use crate::webhook::WebhookStatus;
use crate::{NewPayment, PaymentKind};

/// A stored card, as `GET /subscribe/customers/{customer_uid}` answers.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct BillingKey {
    pub customer_uid: String,
    pub pg_provider: String,
    pub pg_id: &'static str,
    pub sandbox: bool,
    pub customer_id: Option<String>,
    pub card_name: &'static str,
    pub card_code: &'static str,
    pub card_number: String,
    pub card_type: i64,
    pub inserted: i64,
    pub updated: i64,
    /// Charges of this card are declined, with this reason (a test's
    /// choice, [`FakeApi::decline_charges`](crate::FakeApi::decline_charges)).
    #[serde(skip)]
    pub declines: Option<String>,
}

/// A scheduled payment, as the schedule routes answer.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Scheduled {
    pub customer_uid: String,
    pub merchant_uid: String,
    pub imp_uid: Option<String>,
    pub schedule_at: i64,
    pub executed_at: i64,
    pub revoked_at: i64,
    pub amount: Amount,
    pub currency: String,
    pub name: String,
    pub custom_data: Option<String>,
    pub schedule_status: &'static str,
    pub payment_status: Option<&'static str>,
    pub fail_reason: Option<String>,
}

impl Scheduled {
    /// The charge this schedule makes when it runs.
    fn charge(&self) -> Charge {
        Charge {
            merchant_uid: self.merchant_uid.clone(),
            amount: self.amount,
            name: Some(self.name.clone()),
            currency: Some(self.currency.clone()),
            custom_data: self.custom_data.clone(),
        }
    }
}

/// A charge asked for: the order's fields every charge route reads.
pub(crate) struct Charge {
    pub merchant_uid: String,
    pub amount: Amount,
    pub name: Option<String>,
    pub currency: Option<String>,
    pub custom_data: Option<String>,
}

/// The billing state: cards and schedules.
#[derive(Default)]
pub(crate) struct Billing {
    pub keys: BTreeMap<String, BillingKey>,
    pub schedules: BTreeMap<String, Scheduled>,
}

/// The masked form PortOne returns: the first six and last four digits.
fn masked(number: &str) -> Result<String, Refusal> {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if !(14..=19).contains(&digits.len()) {
        return Err(Refusal::new(400, -1, "카드번호가 올바르지 않습니다."));
    }
    let hidden = digits.len() - 10;
    Ok(format!(
        "{}{}{}",
        &digits[..6],
        "*".repeat(hidden),
        &digits[digits.len() - 4..]
    ))
}

impl State {
    /// `POST /subscribe/customers/{customer_uid}`: stores (or replaces) a
    /// card. The expiry must read `YYYY-MM` or `YYYYMM`.
    pub(crate) fn issue_key(
        &mut self,
        customer_uid: &str,
        card_number: &str,
        expiry: &str,
        customer_id: Option<String>,
    ) -> Result<&BillingKey, Refusal> {
        let card_number = masked(card_number)?;
        let digits: String = expiry.chars().filter(char::is_ascii_digit).collect();
        if digits.len() != 6 {
            return Err(Refusal::new(400, -1, "카드 유효기간이 올바르지 않습니다."));
        }
        let now = self.now();
        let inserted = self
            .billing
            .keys
            .get(customer_uid)
            .map_or(now, |old| old.inserted);
        let key = BillingKey {
            customer_uid: customer_uid.to_owned(),
            pg_provider: "nice".to_owned(),
            pg_id: "FAKEBILL01",
            sandbox: false,
            customer_id,
            card_name: "신한카드",
            card_code: "366",
            card_number,
            card_type: 0,
            inserted,
            updated: now,
            declines: None,
        };
        self.billing.keys.insert(customer_uid.to_owned(), key);
        self.billing
            .keys
            .get(customer_uid)
            .ok_or_else(|| Refusal::new(500, -1, "lost the key"))
    }

    pub(crate) fn billing_key(&self, customer_uid: &str) -> Result<&BillingKey, Refusal> {
        self.billing.keys.get(customer_uid).ok_or_else(|| {
            Refusal::new(
                404,
                1,
                "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.",
            )
        })
    }

    /// `DELETE /subscribe/customers/{customer_uid}`: the key goes, and its
    /// schedules that have not run are withdrawn.
    pub(crate) fn delete_key(&mut self, customer_uid: &str) -> Result<BillingKey, Refusal> {
        let key = self.billing.keys.remove(customer_uid).ok_or_else(|| {
            Refusal::new(
                404,
                1,
                "요청하신 customer_uid로 등록된 정보를 찾을 수 없습니다.",
            )
        })?;
        let now = self.now();
        for schedule in self.billing.schedules.values_mut() {
            if schedule.customer_uid == customer_uid && schedule.schedule_status == "scheduled" {
                schedule.schedule_status = "revoked";
                schedule.revoked_at = now;
            }
        }
        Ok(key)
    }

    /// Charges the card stored as `customer_uid` (`again`, a schedule), or
    /// the card just stored (`onetime`). PortOne takes one payment per
    /// `merchant_uid`: an order already paid is refused.
    pub(crate) fn charge(&mut self, customer_uid: &str, charge: Charge) -> Result<String, Refusal> {
        let key = self.billing_key(customer_uid)?;
        let declines = key.declines.clone();
        let pg_provider = key.pg_provider.clone();
        if !self
            .by_merchant_uid(&charge.merchant_uid, Some("paid"))
            .is_empty()
        {
            return Err(Refusal::new(
                200,
                1,
                "이미 결제가 완료된 주문번호(merchant_uid)입니다.",
            ));
        }
        if charge.amount.is_zero() || charge.amount.is_negative() {
            return Err(Refusal::new(400, -1, "결제금액이 올바르지 않습니다."));
        }
        let kind = if declines.is_some() {
            PaymentKind::Failed
        } else {
            PaymentKind::Paid
        };
        let mut new = NewPayment::new(kind, &charge.merchant_uid, charge.amount);
        new.pg_provider = pg_provider;
        new.customer_uid = Some(customer_uid.to_owned());
        if let Some(name) = charge.name {
            new.name = name;
        }
        if let Some(currency) = charge.currency {
            new.currency = currency;
        }
        let imp_uid = self.create(new).map_err(|why| Refusal::new(200, 1, why))?;
        if let Some(payment) = self.payments.get_mut(&imp_uid) {
            payment.custom_data = charge.custom_data;
            if let Some(reason) = declines {
                payment.fail_reason = Some(reason);
            }
        }
        Ok(imp_uid)
    }

    /// `POST /subscribe/payments/schedule`: every schedule is checked before
    /// any is stored; a `merchant_uid` already scheduled is refused.
    pub(crate) fn schedule(
        &mut self,
        customer_uid: &str,
        schedules: Vec<(i64, Charge)>,
    ) -> Result<Vec<Scheduled>, Refusal> {
        self.billing_key(customer_uid)?;
        let now = self.now();
        for (at, charge) in &schedules {
            if *at <= now {
                return Err(Refusal::new(200, 1, "예약시각은 현재시각 이후여야 합니다."));
            }
            if self.billing.schedules.contains_key(&charge.merchant_uid) {
                return Err(Refusal::new(200, 1, "이미 예약된 merchant_uid입니다."));
            }
        }
        let mut made = Vec::new();
        for (at, charge) in schedules {
            let scheduled = Scheduled {
                customer_uid: customer_uid.to_owned(),
                merchant_uid: charge.merchant_uid.clone(),
                imp_uid: None,
                schedule_at: at,
                executed_at: 0,
                revoked_at: 0,
                amount: charge.amount,
                currency: charge.currency.unwrap_or_else(|| "KRW".to_owned()),
                name: charge.name.unwrap_or_default(),
                custom_data: charge.custom_data,
                schedule_status: "scheduled",
                payment_status: None,
                fail_reason: None,
            };
            made.push(scheduled.clone());
            self.billing
                .schedules
                .insert(charge.merchant_uid, scheduled);
        }
        Ok(made)
    }

    /// `POST /subscribe/payments/unschedule`: withdraws schedules that have
    /// not run (all of the card's when none is named).
    pub(crate) fn unschedule(
        &mut self,
        customer_uid: &str,
        merchant_uids: &[String],
    ) -> Result<Vec<Scheduled>, Refusal> {
        let now = self.now();
        let mut revoked = Vec::new();
        for schedule in self.billing.schedules.values_mut() {
            let named = merchant_uids.is_empty() || merchant_uids.contains(&schedule.merchant_uid);
            if schedule.customer_uid == customer_uid
                && named
                && schedule.schedule_status == "scheduled"
            {
                schedule.schedule_status = "revoked";
                schedule.revoked_at = now;
                revoked.push(schedule.clone());
            }
        }
        if revoked.is_empty() {
            return Err(Refusal::new(
                200,
                1,
                "취소할 예약결제 기록이 존재하지 않습니다.",
            ));
        }
        Ok(revoked)
    }

    pub(crate) fn scheduled(&self, merchant_uid: &str) -> Result<&Scheduled, Refusal> {
        self.billing
            .schedules
            .get(merchant_uid)
            .ok_or_else(|| Refusal::new(404, 1, "결제예약건이 존재하지 않습니다."))
    }

    /// `PUT /subscribe/payments/schedule/{merchant_uid}`.
    pub(crate) fn reschedule(
        &mut self,
        merchant_uid: &str,
        at: i64,
    ) -> Result<&Scheduled, Refusal> {
        let now = self.now();
        let schedule = self
            .billing
            .schedules
            .get_mut(merchant_uid)
            .ok_or_else(|| Refusal::new(404, 1, "결제예약건이 존재하지 않습니다."))?;
        if schedule.schedule_status != "scheduled" || at <= now {
            return Err(Refusal::new(
                400,
                1,
                "이미 실행 혹은 취소된 결제예약이거나 과거 시각입니다.",
            ));
        }
        schedule.schedule_at = at;
        Ok(schedule)
    }

    /// The schedules between `from` and `to`, of one card and of one
    /// status if given.
    pub(crate) fn schedules_of(
        &self,
        customer_uid: Option<&str>,
        from: i64,
        to: i64,
        status: Option<&str>,
    ) -> Vec<&Scheduled> {
        self.billing
            .schedules
            .values()
            .filter(|s| customer_uid.is_none_or(|uid| s.customer_uid == uid))
            .filter(|s| (from..=to).contains(&s.schedule_at))
            .filter(|s| status.is_none_or(|status| s.schedule_status == status))
            .collect()
    }

    /// Records that the schedule `merchant_uid` ran now: its payment, the
    /// payment's status and why it failed.
    fn ran(
        &mut self,
        merchant_uid: &str,
        imp_uid: Option<String>,
        status: &'static str,
        reason: Option<String>,
    ) {
        let now = self.now();
        if let Some(schedule) = self.billing.schedules.get_mut(merchant_uid) {
            schedule.schedule_status = "executed";
            schedule.executed_at = now;
            schedule.imp_uid = imp_uid;
            schedule.payment_status = Some(status);
            schedule.fail_reason = reason;
        }
    }

    /// A schedule that failed or was withdrawn, or the refusal to retry it.
    fn retryable(&self, merchant_uid: &str) -> Result<Scheduled, Refusal> {
        let schedule = self.scheduled(merchant_uid)?.clone();
        let failed =
            schedule.schedule_status == "executed" && schedule.payment_status == Some("failed");
        if failed || schedule.schedule_status == "revoked" {
            Ok(schedule)
        } else {
            Err(Refusal::new(
                400,
                1,
                "실패했거나 취소된 결제예약만 재시도할 수 있습니다.",
            ))
        }
    }

    /// `POST /subscribe/payments/schedule/{merchant_uid}/retry`: charges a
    /// failed or withdrawn schedule now.
    pub(crate) fn retry_schedule(&mut self, merchant_uid: &str) -> Result<String, Refusal> {
        let schedule = self.retryable(merchant_uid)?;
        let imp_uid = self.charge(&schedule.customer_uid, schedule.charge())?;
        if let Some(payment) = self.payments.get(&imp_uid) {
            let (status, reason) = (payment.status, payment.fail_reason.clone());
            self.ran(merchant_uid, Some(imp_uid.clone()), status, reason);
        }
        Ok(imp_uid)
    }

    /// `POST /subscribe/payments/schedule/{merchant_uid}/reschedule`.
    pub(crate) fn schedule_again(
        &mut self,
        merchant_uid: &str,
        at: i64,
    ) -> Result<&Scheduled, Refusal> {
        self.retryable(merchant_uid)?;
        if at <= self.now() {
            return Err(Refusal::new(400, 1, "예약시각은 현재시각 이후여야 합니다."));
        }
        let schedule = self
            .billing
            .schedules
            .get_mut(merchant_uid)
            .ok_or_else(|| Refusal::new(404, 1, "결제예약건이 존재하지 않습니다."))?;
        schedule.schedule_status = "scheduled";
        schedule.schedule_at = at;
        schedule.revoked_at = 0;
        schedule.payment_status = None;
        schedule.fail_reason = None;
        Ok(schedule)
    }

    /// Runs every schedule that is due on the fake's clock: each charges
    /// its card and announces the payment's status by webhook.
    pub(crate) fn run_due(&mut self) -> Vec<WebhookStatus> {
        let now = self.now();
        let due: Vec<String> = self
            .billing
            .schedules
            .values()
            .filter(|s| s.schedule_status == "scheduled" && s.schedule_at <= now)
            .map(|s| s.merchant_uid.clone())
            .collect();
        let mut webhooks = Vec::new();
        for merchant_uid in due {
            let Some(schedule) = self.billing.schedules.get(&merchant_uid).cloned() else {
                continue;
            };
            let charged = self.charge(&schedule.customer_uid, schedule.charge());
            let payment = charged
                .ok()
                .and_then(|imp_uid| self.payments.get_mut(&imp_uid));
            let (imp_uid, status, reason) = match payment {
                Some(payment) => {
                    payment.customer_uid_usage = Some("payment.scheduled");
                    webhooks.push(WebhookStatus::of(payment));
                    (
                        Some(payment.imp_uid.clone()),
                        payment.status,
                        payment.fail_reason.clone(),
                    )
                }
                None => (None, "failed", Some("[FAKE] 결제 실행 실패".to_owned())),
            };
            self.ran(&merchant_uid, imp_uid, status, reason);
        }
        webhooks
    }
}
