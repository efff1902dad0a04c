//! What the fake remembers, and the rules of the V1 API applied to it. No
//! HTTP here: the routes translate requests into these calls.

use std::collections::hash_map::RandomState;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use portone_pg_core::Amount;
use serde::Serialize;

use crate::billing::Billing;
use crate::{Fault, NewPayment, PaymentKind, Route};

/// A refusal in the API's envelope: HTTP status, `code`, `message`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Refusal {
    pub status: u16,
    pub code: i64,
    pub message: String,
}

impl Refusal {
    pub(crate) fn new(status: u16, code: i64, message: impl Into<String>) -> Self {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }

    pub(crate) fn unauthorized() -> Self {
        Refusal::new(401, -1, "Unauthorized")
    }

    pub(crate) fn not_found() -> Self {
        Refusal::new(404, -1, "존재하지 않는 결제정보입니다.")
    }
}

/// The token PortOne issued last.
#[derive(Clone, Debug)]
pub(crate) struct Token {
    pub value: String,
    pub expired_at: i64,
}

/// The token response, `AuthAnnotation`.
#[derive(Serialize)]
pub(crate) struct Auth {
    pub access_token: String,
    pub expired_at: i64,
    pub now: i64,
}

/// A payment as the fake keeps it; serializes as the REST payment object.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Payment {
    pub imp_uid: String,
    pub merchant_uid: String,
    pub pay_method: &'static str,
    pub channel: &'static str,
    pub pg_provider: String,
    pub pg_tid: String,
    pub pg_id: &'static str,
    pub escrow: bool,
    pub sandbox: bool,
    pub name: String,
    pub amount: Amount,
    pub cancel_amount: Amount,
    pub currency: String,
    pub status: &'static str,
    pub vbank_code: Option<&'static str>,
    pub vbank_name: Option<&'static str>,
    pub vbank_num: Option<String>,
    pub vbank_holder: Option<String>,
    pub vbank_date: i64,
    pub vbank_issued_at: i64,
    pub started_at: i64,
    pub paid_at: i64,
    pub failed_at: i64,
    pub cancelled_at: i64,
    pub fail_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub receipt_url: String,
    pub cancel_history: Vec<Cancellation>,
    pub cancel_receipt_urls: Vec<String>,
    pub cash_receipt_issued: bool,
    pub custom_data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_uid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_uid_usage: Option<&'static str>,
    /// Where this payment's webhooks go instead of the console's URL (the
    /// request's `notice_url`).
    #[serde(skip)]
    pub notice_url: Option<String>,
}

/// A virtual account asked for by `POST /vbanks`.
pub(crate) struct VbankIssue {
    pub merchant_uid: String,
    pub amount: Amount,
    pub vbank_code: String,
    pub due: i64,
    pub holder: Option<String>,
    pub name: Option<String>,
}

/// One entry of `cancel_history`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Cancellation {
    pub pg_tid: String,
    pub amount: Amount,
    pub cancelled_at: i64,
    pub reason: Option<String>,
    pub cancellation_id: String,
    pub receipt_url: String,
}

/// An amount registered with `POST /payments/prepare`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Prepared {
    pub merchant_uid: String,
    pub amount: Amount,
    pub currency: Option<String>,
}

/// An identity verification, `CertificationAnnotation`.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct Certification {
    pub imp_uid: String,
    pub merchant_uid: String,
    pub pg_tid: String,
    pub pg_provider: &'static str,
    pub certified: bool,
    pub certified_at: i64,
    pub name: String,
    pub gender: &'static str,
    pub birthday: String,
    pub foreigner: bool,
    pub phone: String,
    pub carrier: &'static str,
    pub unique_key: String,
    pub unique_in_site: String,
    pub origin: &'static str,
}

/// A `POST /payments/cancel` request as the fake received it (JSON or form
/// alike), for tests to check what a client sent.
#[derive(Clone, Debug, Default, PartialEq)]
#[non_exhaustive]
pub struct ReceivedCancel {
    /// `imp_uid`.
    pub imp_uid: Option<String>,
    /// `merchant_uid`.
    pub merchant_uid: Option<String>,
    /// `amount`: absent or 0 is a full cancel.
    pub amount: Option<Amount>,
    /// `tax_free`.
    pub tax_free: Option<Amount>,
    /// `vat_amount`.
    pub vat_amount: Option<Amount>,
    /// `checksum`: the balance the caller believes in.
    pub checksum: Option<Amount>,
    /// `reason`.
    pub reason: Option<String>,
    /// `refund_holder`.
    pub refund_holder: Option<String>,
    /// `refund_bank`.
    pub refund_bank: Option<String>,
    /// `refund_account`.
    pub refund_account: Option<String>,
    /// `refund_tel`.
    pub refund_tel: Option<String>,
    /// `extra.requester`.
    pub requester: Option<String>,
    /// `enable_webhook`.
    pub enable_webhook: bool,
    /// Whether the fake applied it.
    pub applied: bool,
}

/// Everything the fake knows; one lock guards it.
pub(crate) struct State {
    key: String,
    secret: String,
    token_lifetime: i64,
    clock_offset: i64,
    token: Option<Token>,
    pub(crate) payments: BTreeMap<String, Payment>,
    prepared: HashMap<String, Prepared>,
    pub(crate) certifications: BTreeMap<String, Certification>,
    cancels: Vec<ReceivedCancel>,
    faults: HashMap<Route, VecDeque<Fault>>,
    requests: HashMap<Route, usize>,
    serial: u64,
    random: RandomState,
    pub(crate) billing: Billing,
    /// Escrow deliveries by `imp_uid`.
    pub(crate) deliveries: BTreeMap<String, crate::routes::Delivery>,
    /// Cash receipts by `imp_uid`.
    pub(crate) receipts: BTreeMap<String, crate::routes::Receipt>,
    /// Cash receipts of sales made outside PortOne, by `merchant_uid`.
    pub(crate) external_receipts: BTreeMap<String, crate::routes::Receipt>,
    /// Bank accounts' holders by (bank code, account number), for
    /// `GET /vbanks/holder`.
    pub(crate) account_holders: HashMap<(String, String), String>,
}

impl State {
    pub(crate) fn new(key: String, secret: String, token_lifetime: Duration) -> Self {
        State {
            key,
            secret,
            token_lifetime: i64::try_from(token_lifetime.as_secs()).unwrap_or(i64::MAX),
            clock_offset: 0,
            token: None,
            payments: BTreeMap::new(),
            prepared: HashMap::new(),
            certifications: BTreeMap::new(),
            cancels: Vec::new(),
            faults: HashMap::new(),
            requests: HashMap::new(),
            serial: 0,
            random: RandomState::new(),
            billing: Billing::default(),
            deliveries: BTreeMap::new(),
            receipts: BTreeMap::new(),
            external_receipts: BTreeMap::new(),
            account_holders: HashMap::new(),
        }
    }

    /// The server's clock: the machine's, shifted by the test.
    pub(crate) fn now(&self) -> i64 {
        let local = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        local.saturating_add(self.clock_offset)
    }

    pub(crate) fn shift_clock(&mut self, seconds: i64) {
        self.clock_offset = self.clock_offset.saturating_add(seconds);
    }

    fn next_serial(&mut self) -> u64 {
        self.serial += 1;
        self.serial
    }

    fn random_hex(&mut self, len: usize) -> String {
        let mut out = String::with_capacity(len);
        while out.len() < len {
            let mut hasher = self.random.build_hasher();
            hasher.write_u64(self.next_serial());
            out.push_str(&format!("{:016x}", hasher.finish()));
        }
        out.truncate(len);
        out
    }

    // --- requests and faults -------------------------------------------

    pub(crate) fn count(&mut self, route: Route) {
        *self.requests.entry(route).or_default() += 1;
    }

    pub(crate) fn requests(&self, route: Route) -> usize {
        self.requests.get(&route).copied().unwrap_or(0)
    }

    pub(crate) fn push_fault(&mut self, route: Route, fault: Fault) {
        self.faults.entry(route).or_default().push_back(fault);
    }

    pub(crate) fn take_fault(&mut self, route: Route) -> Option<Fault> {
        self.faults.get_mut(&route)?.pop_front()
    }

    // --- tokens ----------------------------------------------------------

    /// `POST /users/getToken`: before expiry the same token; with less than
    /// a minute left, its expiry moves five minutes on; after expiry a new
    /// one.
    pub(crate) fn issue_token(&mut self, key: &str, secret: &str) -> Result<Auth, Refusal> {
        if key != self.key || secret != self.secret {
            return Err(Refusal::new(
                401,
                -1,
                "imp_key, imp_secret 인증 정보가 올바르지 않습니다.",
            ));
        }
        let now = self.now();
        let token = match self.token.take() {
            Some(mut token) if now < token.expired_at => {
                if token.expired_at - now < 60 {
                    token.expired_at += 300;
                }
                token
            }
            _ => Token {
                value: self.random_hex(40),
                expired_at: now.saturating_add(self.token_lifetime),
            },
        };
        self.token = Some(token.clone());
        Ok(Auth {
            access_token: token.value,
            expired_at: token.expired_at,
            now,
        })
    }

    /// Whether `Authorization` carries the current, unexpired token, with or
    /// without the `Bearer` prefix (the API takes both).
    pub(crate) fn authorize(&self, header: Option<&str>) -> Result<(), Refusal> {
        let presented = header
            .map(|h| h.strip_prefix("Bearer ").unwrap_or(h).trim())
            .ok_or_else(Refusal::unauthorized)?;
        match &self.token {
            Some(token) if token.value == presented && self.now() < token.expired_at => Ok(()),
            _ => Err(Refusal::unauthorized()),
        }
    }

    pub(crate) fn expire_token(&mut self) {
        let now = self.now();
        if let Some(token) = &mut self.token {
            token.expired_at = now;
        }
    }

    pub(crate) fn revoke_token(&mut self) {
        self.token = None;
    }

    // --- payments --------------------------------------------------------

    pub(crate) fn create(&mut self, new: NewPayment) -> Result<String, String> {
        if let Some(prepared) = self.prepared.get(&new.merchant_uid) {
            if prepared.amount != new.amount {
                return Err(format!(
                    "merchant_uid {:?} was prepared for {}; the window was opened for {}",
                    new.merchant_uid, prepared.amount, new.amount
                ));
            }
            if let Some(currency) = &prepared.currency
                && *currency != new.currency
            {
                return Err(format!(
                    "merchant_uid {:?} was prepared in {currency}; the window was opened in {}",
                    new.merchant_uid, new.currency
                ));
            }
        }
        let serial = self.next_serial();
        let imp_uid = match &new.imp_uid {
            Some(imp_uid) if self.payments.contains_key(imp_uid) || imp_uid.is_empty() => {
                return Err(format!("imp_uid {imp_uid:?} is empty or taken"));
            }
            Some(imp_uid) => imp_uid.clone(),
            None => format!("imp_{:012}", 100_000_000_000 + serial),
        };
        let now = self.now();
        let vbank = new.kind == PaymentKind::VbankReady;
        let (status, paid_at, failed_at) = match new.kind {
            PaymentKind::Paid => ("paid", now, 0),
            PaymentKind::VbankReady => ("ready", 0, 0),
            PaymentKind::Failed => ("failed", 0, now),
        };
        let payment = Payment {
            receipt_url: format!("https://fake.invalid/receipts/{imp_uid}"),
            imp_uid: imp_uid.clone(),
            merchant_uid: new.merchant_uid,
            pay_method: if vbank { "vbank" } else { new.pay_method },
            channel: "pc",
            pg_provider: new.pg_provider,
            pg_tid: format!("T{:015}", serial),
            pg_id: "FAKE0001",
            escrow: new.escrow,
            sandbox: new.sandbox,
            name: new.name,
            amount: new.amount,
            cancel_amount: Amount::from(0),
            currency: new.currency,
            status,
            vbank_code: vbank.then_some("004"),
            vbank_name: vbank.then_some("KB국민은행"),
            vbank_num: vbank.then(|| format!("{:014}", 40_000_000_000_000 + serial)),
            vbank_holder: vbank.then(|| "(주)페이크".to_owned()),
            vbank_date: if vbank { now + 3 * 86_400 } else { 0 },
            vbank_issued_at: if vbank { now } else { 0 },
            started_at: now,
            paid_at,
            failed_at,
            cancelled_at: 0,
            fail_reason: (new.kind == PaymentKind::Failed)
                .then(|| "[FAKE] 카드 한도초과".to_owned()),
            cancel_reason: None,
            cancel_history: Vec::new(),
            cancel_receipt_urls: Vec::new(),
            cash_receipt_issued: false,
            custom_data: None,
            customer_uid_usage: new.customer_uid.as_ref().map(|_| "payment"),
            notice_url: None,
            customer_uid: new.customer_uid,
        };
        self.payments.insert(imp_uid.clone(), payment);
        Ok(imp_uid)
    }

    /// `GET /payments/{imp_uid}`: test-channel payments only with
    /// `include_sandbox=true`.
    pub(crate) fn payment(
        &self,
        imp_uid: &str,
        include_sandbox: bool,
    ) -> Result<&Payment, Refusal> {
        match self.payments.get(imp_uid) {
            Some(payment) if include_sandbox || !payment.sandbox => Ok(payment),
            _ => Err(Refusal::not_found()),
        }
    }

    /// The payments with this `merchant_uid` and status, newest window first
    /// (the API's default sort, `-started`).
    pub(crate) fn by_merchant_uid(
        &self,
        merchant_uid: &str,
        status: Option<&str>,
    ) -> Vec<&Payment> {
        let mut found: Vec<&Payment> = self
            .payments
            .values()
            .filter(|p| p.merchant_uid == merchant_uid && !p.sandbox)
            .filter(|p| status.is_none_or(|s| p.status == s))
            .collect();
        found.sort_by(|a, b| {
            b.started_at
                .cmp(&a.started_at)
                .then(b.imp_uid.cmp(&a.imp_uid))
        });
        found
    }

    pub(crate) fn certify(&mut self, merchant_uid: &str, name: &str, phone: &str) -> String {
        let serial = self.next_serial();
        let imp_uid = format!("imp_{:012}", 100_000_000_000 + serial);
        let certification = Certification {
            imp_uid: imp_uid.clone(),
            merchant_uid: merchant_uid.to_owned(),
            pg_tid: format!("D{:015}", serial),
            pg_provider: "danal",
            certified: true,
            certified_at: self.now(),
            name: name.to_owned(),
            gender: "female",
            birthday: "1990-01-01".to_owned(),
            foreigner: false,
            phone: phone.to_owned(),
            carrier: "SKT",
            unique_key: self.random_hex(88),
            unique_in_site: self.random_hex(64),
            origin: "https://shop.invalid/certify",
        };
        self.certifications.insert(imp_uid.clone(), certification);
        imp_uid
    }

    /// The issued, unpaid virtual account `imp_uid`, or `refusal`.
    fn awaiting_deposit(&mut self, imp_uid: &str, refusal: &str) -> Result<&mut Payment, Refusal> {
        match self.payments.get_mut(imp_uid) {
            Some(p) if p.status == "ready" && p.pay_method == "vbank" => Ok(p),
            Some(_) => Err(Refusal::new(400, 1, refusal)),
            None => Err(Refusal::not_found()),
        }
    }

    pub(crate) fn deposit(&mut self, imp_uid: &str) -> Result<(), Refusal> {
        let now = self.now();
        let payment = self.awaiting_deposit(imp_uid, "입금 대기 중인 가상계좌가 아닙니다.")?;
        payment.status = "paid";
        payment.paid_at = now;
        Ok(())
    }

    /// `DELETE /vbanks/{imp_uid}`: an issued, unpaid virtual account is
    /// revoked; anything else is refused.
    pub(crate) fn revoke_vbank(&mut self, imp_uid: &str) -> Result<&Payment, Refusal> {
        let now = self.now();
        let payment =
            self.awaiting_deposit(imp_uid, "입금 대기 중인 가상계좌만 발급취소할 수 있습니다.")?;
        payment.status = "cancelled";
        payment.cancelled_at = now;
        payment.cancel_reason = Some("가상계좌 발급취소".to_owned());
        Ok(payment)
    }

    /// `POST /vbanks`: an account at one of the fake's banks, awaiting
    /// `amount` until `due`. An order already paid is refused.
    pub(crate) fn issue_vbank(&mut self, issue: VbankIssue) -> Result<&Payment, Refusal> {
        let bank = match issue.vbank_code.as_str() {
            "004" => ("004", "KB국민은행"),
            "020" => ("020", "우리은행"),
            "081" => ("081", "하나은행"),
            "088" => ("088", "신한은행"),
            _ => return Err(Refusal::new(400, 1, "지원하지 않는 은행코드입니다.")),
        };
        if issue.due <= self.now() {
            return Err(Refusal::new(
                400,
                1,
                "입금기한은 현재 시각 이후여야 합니다.",
            ));
        }
        if !self
            .by_merchant_uid(&issue.merchant_uid, Some("paid"))
            .is_empty()
        {
            return Err(Refusal::new(
                200,
                1,
                "이미 결제가 완료된 주문번호(merchant_uid)입니다.",
            ));
        }
        let mut new = NewPayment::vbank_ready(&issue.merchant_uid, issue.amount);
        if let Some(name) = issue.name {
            new.name = name;
        }
        let imp_uid = self.create(new).map_err(|why| Refusal::new(200, 1, why))?;
        let payment = self
            .payments
            .get_mut(&imp_uid)
            .ok_or_else(|| Refusal::new(500, -1, "lost the payment"))?;
        payment.channel = "api";
        payment.vbank_code = Some(bank.0);
        payment.vbank_name = Some(bank.1);
        payment.vbank_date = issue.due;
        if let Some(holder) = issue.holder {
            payment.vbank_holder = Some(holder);
        }
        Ok(payment)
    }

    /// `PUT /vbanks/{imp_uid}`: another amount and/or deadline, before the
    /// deposit.
    pub(crate) fn change_vbank(
        &mut self,
        imp_uid: &str,
        amount: Option<Amount>,
        due: Option<i64>,
    ) -> Result<&Payment, Refusal> {
        let now = self.now();
        if due.is_some_and(|due| due <= now) {
            return Err(Refusal::new(
                400,
                1,
                "입금기한은 현재 시각 이후여야 합니다.",
            ));
        }
        let payment =
            self.awaiting_deposit(imp_uid, "입금 대기 중인 가상계좌만 변경할 수 있습니다.")?;
        if let Some(amount) = amount {
            payment.amount = amount;
        }
        if let Some(due) = due {
            payment.vbank_date = due;
        }
        Ok(payment)
    }

    // --- prepare ---------------------------------------------------------

    pub(crate) fn prepare(&mut self, prepared: Prepared) -> Result<&Prepared, Refusal> {
        if prepared.merchant_uid.is_empty() || prepared.merchant_uid.chars().count() > 40 {
            return Err(Refusal::new(
                400,
                1,
                "merchant_uid는 1자 이상 40자 이하여야 합니다.",
            ));
        }
        if self.prepared.contains_key(&prepared.merchant_uid) {
            return Err(Refusal::new(200, 1, "이미 등록된 merchant_uid입니다."));
        }
        let key = prepared.merchant_uid.clone();
        Ok(self.prepared.entry(key).or_insert(prepared))
    }

    pub(crate) fn update_prepared(&mut self, update: Prepared) -> Result<&Prepared, Refusal> {
        let prepared = self
            .prepared
            .get_mut(&update.merchant_uid)
            .ok_or_else(|| Refusal::new(404, 1, "사전등록된 결제정보가 없습니다."))?;
        *prepared = update;
        Ok(prepared)
    }

    /// The amount `merchant_uid` was prepared for, if it was.
    #[cfg(feature = "window")]
    pub(crate) fn prepared_amount(&self, merchant_uid: &str) -> Option<Amount> {
        self.prepared.get(merchant_uid).map(|p| p.amount)
    }

    pub(crate) fn prepared(&self, merchant_uid: &str) -> Result<&Prepared, Refusal> {
        self.prepared
            .get(merchant_uid)
            .ok_or_else(|| Refusal::new(404, 1, "사전등록된 결제정보가 없습니다."))
    }

    // --- cancel ----------------------------------------------------------

    /// `POST /payments/cancel`, as the cancel guide describes it: imp_uid
    /// before merchant_uid; no amount (or 0) cancels the balance; a
    /// `checksum` other than the balance refuses the request; more than the
    /// balance is refused; the payment stays `paid` until nothing is left.
    /// Refusals answer HTTP 200 with a non-zero code, as the real API does.
    pub(crate) fn cancel(
        &mut self,
        mut request: ReceivedCancel,
    ) -> Result<(Payment, bool), Refusal> {
        let result = self.apply_cancel(&request);
        request.applied = result.is_ok();
        self.cancels.push(request);
        result
    }

    /// A cancel made in PortOne's console: no checksum, not an API request.
    pub(crate) fn console_cancel(
        &mut self,
        imp_uid: &str,
        amount: Option<Amount>,
    ) -> Result<Payment, Refusal> {
        let request = ReceivedCancel {
            imp_uid: Some(imp_uid.to_owned()),
            amount,
            ..ReceivedCancel::default()
        };
        self.apply_cancel(&request).map(|(payment, _)| payment)
    }

    pub(crate) fn cancels(&self) -> &[ReceivedCancel] {
        &self.cancels
    }

    fn apply_cancel(&mut self, request: &ReceivedCancel) -> Result<(Payment, bool), Refusal> {
        let now = self.now();
        let imp_uid = match (&request.imp_uid, &request.merchant_uid) {
            (Some(imp_uid), _) => imp_uid.clone(),
            (None, Some(merchant_uid)) => self
                .by_merchant_uid(merchant_uid, Some("paid"))
                .first()
                .map(|p| p.imp_uid.clone())
                .ok_or_else(|| Refusal::new(200, 1, "취소할 결제건이 존재하지 않습니다."))?,
            (None, None) => {
                return Err(Refusal::new(
                    200,
                    1,
                    "imp_uid 또는 merchant_uid가 필요합니다.",
                ));
            }
        };
        let serial = self.next_serial();
        let cancellation_id = self.random_hex(24);
        let payment = self
            .payments
            .get_mut(&imp_uid)
            .ok_or_else(|| Refusal::new(200, 1, "취소할 결제건이 존재하지 않습니다."))?;
        if payment.status != "paid" {
            return Err(Refusal::new(200, 1, "이미 전액취소된 주문입니다."));
        }
        let balance = payment
            .amount
            .checked_sub(payment.cancel_amount)
            .ok_or_else(|| Refusal::new(500, -1, "balance overflow"))?;
        if let Some(checksum) = request.checksum
            && checksum != balance
        {
            return Err(Refusal::new(
                200,
                1,
                format!(
                    "[checksum] 취소 가능 잔액({balance})이 요청한 checksum({checksum})과 다릅니다."
                ),
            ));
        }
        let amount = match request.amount {
            Some(amount) if !amount.is_zero() => amount,
            _ => balance,
        };
        if amount.is_negative() {
            return Err(Refusal::new(200, 1, "취소 요청금액은 0보다 커야 합니다."));
        }
        if amount > balance {
            return Err(Refusal::new(
                200,
                1,
                format!("취소 요청금액({amount})이 취소 가능 잔액({balance})보다 큽니다."),
            ));
        }
        if let Some(tax_free) = request.tax_free
            && (tax_free.is_negative() || tax_free > amount)
        {
            return Err(Refusal::new(200, 1, "면세금액이 취소 요청금액보다 큽니다."));
        }
        if payment.pay_method == "vbank" && request.refund_account.is_none() {
            return Err(Refusal::new(
                200,
                1,
                "가상계좌 환불에는 환불계좌 정보가 필요합니다.",
            ));
        }
        let cancel_amount = payment
            .cancel_amount
            .checked_add(amount)
            .ok_or_else(|| Refusal::new(500, -1, "cancel_amount overflow"))?;
        let receipt_url = format!("https://fake.invalid/receipts/{imp_uid}/cancel/{serial}");
        payment.cancel_history.push(Cancellation {
            pg_tid: format!("C{:015}", serial),
            amount,
            cancelled_at: now,
            reason: request.reason.clone(),
            cancellation_id,
            receipt_url: receipt_url.clone(),
        });
        payment.cancel_receipt_urls.push(receipt_url);
        payment.cancel_amount = cancel_amount;
        payment.cancel_reason.clone_from(&request.reason);
        payment.cancelled_at = now;
        if cancel_amount == payment.amount {
            payment.status = "cancelled";
        }
        Ok((payment.clone(), request.enable_webhook))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state() -> State {
        State::new("key".into(), "secret".into(), Duration::from_secs(1800))
    }

    fn paid(state: &mut State, amount: i64) -> String {
        state
            .create(NewPayment::paid("order-1", Amount::from(amount)))
            .unwrap()
    }

    fn cancel(imp_uid: &str, amount: Option<i64>, checksum: Option<i64>) -> ReceivedCancel {
        ReceivedCancel {
            imp_uid: Some(imp_uid.into()),
            amount: amount.map(Amount::from),
            checksum: checksum.map(Amount::from),
            ..ReceivedCancel::default()
        }
    }

    #[test]
    fn the_same_token_until_it_expires_and_a_five_minute_extension_in_its_last_minute() {
        let mut state = state();
        let first = state.issue_token("key", "secret").unwrap();
        assert_eq!(first.expired_at - first.now, 1800);
        let again = state.issue_token("key", "secret").unwrap();
        assert_eq!(again.access_token, first.access_token);
        state.shift_clock(1770);
        let extended = state.issue_token("key", "secret").unwrap();
        assert_eq!(extended.access_token, first.access_token);
        assert_eq!(extended.expired_at, first.expired_at + 300);
        state.shift_clock(400);
        let fresh = state.issue_token("key", "secret").unwrap();
        assert_ne!(fresh.access_token, first.access_token);
        assert!(state.issue_token("key", "wrong").is_err());
        assert!(
            state
                .authorize(Some(&format!("Bearer {}", fresh.access_token)))
                .is_ok()
        );
        assert!(state.authorize(Some(&fresh.access_token)).is_ok());
        assert!(state.authorize(Some(&first.access_token)).is_err());
        assert!(state.authorize(None).is_err());
    }

    #[test]
    fn cancels_apply_the_checksum_and_the_balance_exactly() {
        let mut state = state();
        let id = paid(&mut state, 1004);
        assert_eq!(
            state
                .cancel(cancel(&id, Some(300), Some(1000)))
                .unwrap_err()
                .code,
            1
        );
        let (after, _) = state.cancel(cancel(&id, Some(300), Some(1004))).unwrap();
        assert_eq!(
            (after.status, after.cancel_amount),
            ("paid", Amount::from(300))
        );
        // A stale checksum (the balance before the first cancel) is refused.
        assert!(state.cancel(cancel(&id, Some(300), Some(1004))).is_err());
        assert!(state.cancel(cancel(&id, Some(705), None)).is_err());
        let (after, _) = state.cancel(cancel(&id, None, Some(704))).unwrap();
        assert_eq!(
            (after.status, after.cancel_amount),
            ("cancelled", Amount::from(1004))
        );
        assert_eq!(after.cancel_history.len(), 2);
        assert_eq!(after.cancel_history[1].amount, Amount::from(704));
        assert!(state.cancel(cancel(&id, None, None)).is_err());
    }

    #[test]
    fn a_prepared_amount_refuses_a_window_for_another_amount() {
        let mut state = state();
        let prepared = Prepared {
            merchant_uid: "order-9".into(),
            amount: Amount::from(1004),
            currency: None,
        };
        state.prepare(prepared).unwrap();
        let tampered = NewPayment::paid("order-9", Amount::from(100));
        assert!(state.create(tampered).is_err());
        assert!(
            state
                .create(NewPayment::paid("order-9", Amount::from(1004)))
                .is_ok()
        );
    }
}
