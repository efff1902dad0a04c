//! Billing keys (`/subscribe/...`): storing a card under the merchant's
//! `customer_uid`, charging it (`again`), charging a card once without
//! storing it (`onetime`), and payments scheduled on a stored card.
//!
//! Parameters: the [V1 API reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L567).
//! A charge whose reply is lost is resolved by looking the order up, never
//! resent blindly: PortOne takes one payment per `merchant_uid` ("동일한 주문
//! 번호로 중복 결제가 불가", the
//! [billing-key payment parameters](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/%28root%29/opi/ko/extra/smart-routing/integration.mdx#L1057)),
//! so one resend with the same `merchant_uid` cannot charge twice.

use std::fmt;

use portone_pg_core::rest::{BillingKeyInfo, Payment, PaymentPage, ScheduledPayment};
use portone_pg_core::{Amount, Status};
use serde::Serialize;

use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Buyer, Replay, exact, exact_opt, json_body};
use crate::{Client, Error, ErrorKind};

/// Card details: every field is a secret, kept out of `Debug`, errors and
/// traces.
#[derive(Clone, Default)]
struct Card {
    number: String,
    expiry: String,
    birth: String,
    password_2digits: Option<String>,
    cvc: Option<String>,
}

impl Card {
    fn new(number: &str, expiry: &str, birth: &str) -> Self {
        Card {
            number: number.to_owned(),
            expiry: expiry.to_owned(),
            birth: birth.to_owned(),
            ..Card::default()
        }
    }

    /// The values to scrub from whatever a call returns, as typed and as
    /// digits only (a server may echo `4092023012345678` for
    /// `4092-0230-1234-5678`).
    fn secrets(&self) -> Vec<String> {
        let mut secrets = Vec::new();
        for value in [Some(&self.number), Some(&self.expiry), Some(&self.birth)]
            .into_iter()
            .chain([self.password_2digits.as_ref(), self.cvc.as_ref()])
            .flatten()
        {
            let digits: String = value.chars().filter(char::is_ascii_digit).collect();
            // Even the two password digits are scrubbed wherever they
            // appear: a mangled number in an error costs less than a leak.
            secrets.push(value.clone());
            if digits.len() >= 4 && digits != *value {
                secrets.push(digits);
            }
        }
        secrets
    }
}

impl fmt::Debug for Card {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted card]")
    }
}

/// A card to store as a billing key, for [`Client::issue_billing_key`].
///
/// ```
/// use portone_pg_client::BillingKey;
///
/// let key = BillingKey::card("4092-0230-1234-5678", "2029-12", "880101")
///     .password_2digits("12")
///     .pg("nice.iamport00m");
/// // Card details never appear in Debug.
/// let debug = format!("{key:?}");
/// assert!(!debug.contains("5678") && !debug.contains("880101"));
/// ```
#[derive(Clone, Debug)]
pub struct BillingKey {
    card: Card,
    pg: Option<String>,
    channel_key: Option<String>,
    customer_id: Option<String>,
}

impl BillingKey {
    /// The card number (with or without dashes), its expiry (`YYYY-MM`) and
    /// the holder's birth date (`YYMMDD`, or a business registration number
    /// for a corporate card).
    pub fn card(number: &str, expiry: &str, birth: &str) -> Self {
        BillingKey {
            card: Card::new(number, expiry, birth),
            pg: None,
            channel_key: None,
            customer_id: None,
        }
    }

    /// The first two digits of the card's password (`pwd_2digit`; most
    /// personal cards need them).
    pub fn password_2digits(mut self, digits: &str) -> Self {
        self.card.password_2digits = Some(digits.to_owned());
        self
    }

    /// The card's CVC (some PGs).
    pub fn cvc(mut self, cvc: &str) -> Self {
        self.card.cvc = Some(cvc.to_owned());
        self
    }

    /// The PG (`pg`, `"nice.iamport00m"`) when the account has several.
    pub fn pg(mut self, pg: &str) -> Self {
        self.pg = Some(pg.to_owned());
        self
    }

    /// The channel (`channel_key`), which PortOne's reference marks
    /// required for accounts on channels.
    pub fn channel_key(mut self, key: &str) -> Self {
        self.channel_key = Some(key.to_owned());
        self
    }

    /// The merchant's id for the buyer (`customer_id`).
    pub fn customer_id(mut self, id: &str) -> Self {
        self.customer_id = Some(id.to_owned());
        self
    }
}

/// The order details a charge carries, shared by [`Again`], [`Schedule`]
/// and [`Onetime`].
#[derive(Clone, Debug, Serialize)]
struct Order {
    merchant_uid: String,
    #[serde(serialize_with = "exact")]
    amount: Amount,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    currency: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "exact_opt")]
    tax_free: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "exact_opt")]
    vat_amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    card_quota: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    custom_data: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notice_url: Option<String>,
    #[serde(flatten)]
    buyer: Buyer,
}

impl Order {
    fn new(merchant_uid: &str, amount: Amount, name: &str) -> Self {
        Order {
            merchant_uid: merchant_uid.to_owned(),
            amount,
            name: name.to_owned(),
            currency: None,
            tax_free: None,
            vat_amount: None,
            card_quota: None,
            custom_data: None,
            notice_url: None,
            buyer: Buyer::default(),
        }
    }
}

/// The setters every charge shares.
macro_rules! order_setters {
    ($type:ident) => {
        impl $type {
            /// The currency (`KRW` unless given; PayPal needs another).
            pub fn currency(mut self, currency: &str) -> Self {
                self.order.currency = Some(currency.to_owned());
                self
            }

            /// The tax-free part of the amount (`tax_free`).
            pub fn tax_free(mut self, amount: Amount) -> Self {
                self.order.tax_free = Some(amount);
                self
            }

            /// The VAT part of the amount (`vat_amount`; some PGs).
            pub fn vat_amount(mut self, amount: Amount) -> Self {
                self.order.vat_amount = Some(amount);
                self
            }

            /// Instalment months (`card_quota`; 0 or 1 is a lump sum).
            pub fn card_quota(mut self, months: u32) -> Self {
                self.order.card_quota = Some(months);
                self
            }

            /// Stored with the payment (`custom_data`).
            pub fn custom_data(mut self, data: &str) -> Self {
                self.order.custom_data = Some(data.to_owned());
                self
            }

            /// Where PortOne sends this payment's webhook, instead of the
            /// console's setting (`notice_url`).
            pub fn notice_url(mut self, url: &str) -> Self {
                self.order.notice_url = Some(url.to_owned());
                self
            }

            /// The buyer's name, email address and phone number (some PGs
            /// need the name). Personal data: kept out of `Debug`.
            pub fn buyer(mut self, name: &str, email: Option<&str>, tel: Option<&str>) -> Self {
                self.order.buyer = Buyer::new(name, email, tel);
                self
            }
        }
    };
}

/// A charge of a stored card, for [`Client::again`].
///
/// ```
/// use portone_pg_client::Again;
/// use portone_pg_core::Amount;
///
/// let charge = Again::new("cust_1", "order-2", Amount::from(9900), "Monthly plan")
///     .buyer("홍길동", Some("buyer@example.com"), None);
/// assert!(!format!("{charge:?}").contains("홍길동"));
/// ```
#[derive(Clone)]
pub struct Again {
    customer_uid: String,
    order: Order,
}

impl fmt::Debug for Again {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The customer_uid is often an email address or a phone number.
        f.debug_struct("Again")
            .field("order", &self.order)
            .finish_non_exhaustive()
    }
}

impl Again {
    /// Charges the card stored as `customer_uid` `amount` for the order
    /// `merchant_uid`, named `name` on the receipt.
    pub fn new(customer_uid: &str, merchant_uid: &str, amount: Amount, name: &str) -> Self {
        Again {
            customer_uid: customer_uid.to_owned(),
            order: Order::new(merchant_uid, amount, name),
        }
    }

    /// The order charged.
    pub fn merchant_uid(&self) -> &str {
        &self.order.merchant_uid
    }

    /// The amount charged.
    pub fn amount(&self) -> Amount {
        self.order.amount
    }
}

order_setters!(Again);

/// A charge of a card given now, stored as a billing key only if asked
/// ([`store_as`](Self::store_as)), for [`Client::onetime`].
#[derive(Clone, Debug)]
pub struct Onetime {
    card: Card,
    customer_uid: Option<String>,
    pg: Option<String>,
    order: Order,
}

impl Onetime {
    /// Charges the card (number, expiry `YYYY-MM`, birth date `YYMMDD`)
    /// `amount` for the order `merchant_uid`.
    pub fn card(
        merchant_uid: &str,
        amount: Amount,
        name: &str,
        number: &str,
        expiry: &str,
        birth: &str,
    ) -> Self {
        Onetime {
            card: Card::new(number, expiry, birth),
            customer_uid: None,
            pg: None,
            order: Order::new(merchant_uid, amount, name),
        }
    }

    /// The first two digits of the card's password.
    pub fn password_2digits(mut self, digits: &str) -> Self {
        self.card.password_2digits = Some(digits.to_owned());
        self
    }

    /// Also stores the card as the billing key `customer_uid`.
    pub fn store_as(mut self, customer_uid: &str) -> Self {
        self.customer_uid = Some(customer_uid.to_owned());
        self
    }

    /// The PG (`pg`) when the account has several.
    pub fn pg(mut self, pg: &str) -> Self {
        self.pg = Some(pg.to_owned());
        self
    }
}

order_setters!(Onetime);

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

/// A card's fields in a request body.
#[derive(Serialize)]
struct CardBody<'a> {
    card_number: &'a str,
    expiry: &'a str,
    birth: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pwd_2digit: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cvc: Option<&'a str>,
}

impl Card {
    fn body(&self) -> CardBody<'_> {
        CardBody {
            card_number: &self.number,
            expiry: &self.expiry,
            birth: &self.birth,
            pwd_2digit: self.password_2digits.as_deref(),
            cvc: self.cvc.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct IssueBody<'a> {
    #[serde(flatten)]
    card: CardBody<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pg: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_key: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_id: Option<&'a str>,
}

#[derive(Serialize)]
struct AgainBody<'a> {
    customer_uid: &'a str,
    #[serde(flatten)]
    order: &'a Order,
}

#[derive(Serialize)]
struct OnetimeBody<'a> {
    #[serde(flatten)]
    card: CardBody<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer_uid: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pg: Option<&'a str>,
    #[serde(flatten)]
    order: &'a Order,
}

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

/// A charge's reply must be the payment of that order, for that amount.
fn of_charge(endpoint: &'static str, payment: &Payment, order: &Order) -> Result<(), Error> {
    if payment.merchant_uid != order.merchant_uid {
        return Err(foreign(endpoint, "order"));
    }
    if payment.amount != order.amount {
        return Err(Error::new(ErrorKind::Body, endpoint)
            .with_message("the reply is a payment of another amount than the one charged"));
    }
    Ok(())
}

const UNSCHEDULE: &str = "POST /subscribe/payments/unschedule";

/// A charge's outcome: paid, or declined with PortOne's reason.
fn paid(endpoint: &'static str, payment: Payment) -> Result<Payment, Error> {
    match payment.status {
        Status::Paid => Ok(payment),
        _ => Err(Error::declined(endpoint, payment)),
    }
}

impl Client {
    /// `POST /subscribe/customers/{customer_uid}`: stores the card as the
    /// billing key `customer_uid`, replacing the card stored under it, and
    /// returns what PortOne records (the number masked).
    ///
    /// The card details never leave this call: not in `Debug`, in traces,
    /// or in an error's text, which is scrubbed of them. When the outcome
    /// is unknown, a lookup that finds no key under `customer_uid` means it
    /// was not stored, and the request is sent once more; a key found may
    /// be the one stored before, so that is an
    /// [`ErrorKind::OutcomeUnknown`] error.
    pub async fn issue_billing_key(
        &self,
        customer_uid: &str,
        key: BillingKey,
    ) -> Result<BillingKeyInfo, Error> {
        const ENDPOINT: &str = "POST /subscribe/customers/{customer_uid}";
        let call = Call::new(ENDPOINT, None, None);
        let secrets = key.card.secrets();
        let work = async {
            let url = self.url(ENDPOINT, "subscribe/customers", &[customer_uid])?;
            let body = json_body(
                ENDPOINT,
                &IssueBody {
                    card: key.card.body(),
                    pg: key.pg.as_deref(),
                    channel_key: key.channel_key.as_deref(),
                    customer_id: key.customer_id.as_deref(),
                },
            )?;
            let (call, url, body) = (&call, &url, &body);
            let send = move || async move {
                let info: BillingKeyInfo = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.json_request(reqwest::Method::POST, url, body)
                    })
                    .await?;
                of_customer(ENDPOINT, &info, customer_uid)?;
                Ok(info)
            };
            let probe = move || async move {
                match self.read_billing_key(call, customer_uid).await {
                    Ok(_) => Ok(Probe::Other(
                        "a billing key is stored, perhaps the one before".into(),
                    )),
                    Err(error) if error.is_not_found() => Ok(Probe::NotApplied),
                    Err(error) => Err(error),
                }
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        };
        self.run_scrubbing(&call, &secrets, work).await
    }

    /// `GET /subscribe/customers/{customer_uid}`: the card stored as
    /// `customer_uid`. None stored is an [`ErrorKind::Api`] error with HTTP
    /// status 404.
    pub async fn billing_key(&self, customer_uid: &str) -> Result<BillingKeyInfo, Error> {
        let call = Call::new("GET /subscribe/customers/{customer_uid}", None, None);
        self.run(&call, self.read_billing_key(&call, customer_uid))
            .await
    }

    async fn read_billing_key(
        &self,
        call: &Call,
        customer_uid: &str,
    ) -> Result<BillingKeyInfo, Error> {
        const ENDPOINT: &str = "GET /subscribe/customers/{customer_uid}";
        let url = self.url(ENDPOINT, "subscribe/customers", &[customer_uid])?;
        let info: BillingKeyInfo = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        of_customer(ENDPOINT, &info, customer_uid)?;
        Ok(info)
    }

    /// `GET /subscribe/customers?customer_uid[]=…`: the cards stored under
    /// several `customer_uid`s (those PortOne found; at most 100 asked).
    pub async fn billing_keys(&self, customer_uids: &[&str]) -> Result<Vec<BillingKeyInfo>, Error> {
        const ENDPOINT: &str = "GET /subscribe/customers";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            if customer_uids.is_empty() || customer_uids.len() > 100 {
                return Err(Error::new(ErrorKind::InvalidRequest, ENDPOINT)
                    .with_message("ask for 1 to 100 customer_uids"));
            }
            let mut url = format!("{}/subscribe/customers", self.shared.base);
            for (i, customer_uid) in customer_uids.iter().enumerate() {
                url.push(if i == 0 { '?' } else { '&' });
                url.push_str("customer_uid%5B%5D=");
                url.push_str(&query_value(ENDPOINT, customer_uid)?);
            }
            let infos: Vec<BillingKeyInfo> = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            let mut unseen: std::collections::HashSet<&str> =
                customer_uids.iter().copied().collect();
            for info in &infos {
                let found = info.customer_uid.as_deref().unwrap_or_default();
                if !unseen.remove(found) {
                    return Err(foreign(ENDPOINT, "set of billing keys"));
                }
            }
            Ok(infos)
        })
        .await
    }

    /// `DELETE /subscribe/customers/{customer_uid}`: deletes the billing
    /// key; scheduled payments on it stop. Deleting it twice is harmless,
    /// so an unknown outcome is resolved by looking it up (gone: done).
    pub async fn delete_billing_key(&self, customer_uid: &str) -> Result<(), Error> {
        const ENDPOINT: &str = "DELETE /subscribe/customers/{customer_uid}";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            let url = self.url(ENDPOINT, "subscribe/customers", &[customer_uid])?;
            let (call, url) = (&call, &url);
            let send = move || async move {
                let info: BillingKeyInfo = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.shared.http.delete(url)
                    })
                    .await?;
                of_customer(ENDPOINT, &info, customer_uid)
            };
            let probe = move || async move {
                match self.read_billing_key(call, customer_uid).await {
                    Ok(_) => Ok(Probe::NotApplied),
                    Err(error) if error.is_not_found() => Ok(Probe::Applied(())),
                    Err(error) => Err(error),
                }
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        })
        .await
    }

    /// `POST /subscribe/payments/again`: charges the stored card and returns
    /// the payment, paid. A declined charge is an [`ErrorKind::ChargeDeclined`]
    /// error with PortOne's reason; a refusal before charging (no such key)
    /// an [`ErrorKind::Api`] error.
    ///
    /// Never two charges for one call: when the outcome is unknown (a
    /// timeout, a reset, a 5xx, an unreadable reply), it looks the order up
    /// (`GET /payments/find/{merchant_uid}/paid`). Paid: that payment is
    /// returned. None paid: the same request, same `merchant_uid`, is sent
    /// once more (PortOne takes one payment per `merchant_uid`); if PortOne
    /// refuses that resend, one last lookup tells whether the first went
    /// through after all. Anything else is an
    /// [`ErrorKind::ChargeOutcomeUnknown`] error, after which nothing more
    /// was sent.
    pub async fn again(&self, again: Again) -> Result<Payment, Error> {
        const ENDPOINT: &str = "POST /subscribe/payments/again";
        let call = Call::new(ENDPOINT, None, Some(&again.order.merchant_uid));
        self.run(&call, async {
            let body = json_body(
                ENDPOINT,
                &AgainBody {
                    customer_uid: &again.customer_uid,
                    order: &again.order,
                },
            )?;
            let url = format!("{}/subscribe/payments/again", self.shared.base);
            let payment = self
                .charge(&call, ENDPOINT, &url, &body, &again.order)
                .await?;
            paid(ENDPOINT, payment)
        })
        .await
    }

    /// `POST /subscribe/payments/onetime`: charges a card given now (stored
    /// as a billing key too with [`Onetime::store_as`]), with the same
    /// guarantees as [`again`](Self::again); the card details are scrubbed
    /// from errors like [`issue_billing_key`](Self::issue_billing_key)'s.
    pub async fn onetime(&self, onetime: Onetime) -> Result<Payment, Error> {
        const ENDPOINT: &str = "POST /subscribe/payments/onetime";
        let call = Call::new(ENDPOINT, None, Some(&onetime.order.merchant_uid));
        let secrets = onetime.card.secrets();
        let work = async {
            let body = json_body(
                ENDPOINT,
                &OnetimeBody {
                    card: onetime.card.body(),
                    customer_uid: onetime.customer_uid.as_deref(),
                    pg: onetime.pg.as_deref(),
                    order: &onetime.order,
                },
            )?;
            let url = format!("{}/subscribe/payments/onetime", self.shared.base);
            let payment = self
                .charge(&call, ENDPOINT, &url, &body, &onetime.order)
                .await?;
            paid(ENDPOINT, payment)
        };
        self.run_scrubbing(&call, &secrets, work).await
    }

    /// One charge, resolved by the order's paid payment when its outcome is
    /// unknown.
    async fn charge(
        &self,
        call: &Call,
        endpoint: &'static str,
        url: &str,
        body: &[u8],
        order: &Order,
    ) -> Result<Payment, Error> {
        // Each send is counted: a refusal of the resend may mean the first
        // send was carried out after all, which a last lookup tells.
        let sends = std::sync::atomic::AtomicUsize::new(0);
        let sends = &sends;
        let send = move || async move {
            sends.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let payment: Payment = self
                .call(call, endpoint, Replay::Never, || {
                    self.json_request(reqwest::Method::POST, url, body)
                })
                .await?;
            of_charge(endpoint, &payment, order)?;
            Ok(payment)
        };
        let probe = move || async move {
            match self.paid_payment(call, order).await? {
                Some(Ok(payment)) => Ok(Probe::Applied(payment)),
                Some(Err(other)) => Ok(Probe::Other(other)),
                None => Ok(Probe::NotApplied),
            }
        };
        match once(endpoint, ErrorKind::ChargeOutcomeUnknown, send, probe).await {
            Err(refused)
                if refused.kind() == ErrorKind::Api
                    && sends.load(std::sync::atomic::Ordering::Relaxed) > 1 =>
            {
                match self.paid_payment(call, order).await {
                    Ok(Some(Ok(payment))) => Ok(payment),
                    _ => Err(refused),
                }
            }
            result => result,
        }
    }

    /// The order's paid payment: `None` when there is none, `Some(Err)`
    /// saying what else was found.
    async fn paid_payment(
        &self,
        call: &Call,
        order: &Order,
    ) -> Result<Option<Result<Payment, String>>, Error> {
        const FIND: &str = "GET /payments/find/{merchant_uid}";
        let url = self.url(FIND, "payments/find", &[&order.merchant_uid, "paid"])?;
        let found: Result<Payment, Error> = self
            .call(call, FIND, Replay::Safe, || self.shared.http.get(&url))
            .await;
        match found {
            Ok(payment) if payment.merchant_uid != order.merchant_uid => {
                Err(foreign(FIND, "order"))
            }
            Ok(payment) if payment.status != Status::Paid => Ok(Some(Err(
                "the lookup of the paid payment found another status".into(),
            ))),
            Ok(payment) if payment.amount != order.amount => Ok(Some(Err(format!(
                "the order was paid {} instead of {}",
                payment.amount, order.amount
            )))),
            Ok(payment) => Ok(Some(Ok(payment))),
            Err(error) if error.is_not_found() => Ok(None),
            Err(error) => Err(error),
        }
    }

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

    /// `GET /subscribe/customers/{customer_uid}/payments`: one page of the
    /// payments made with the card stored as `customer_uid`.
    pub async fn billing_key_payments(
        &self,
        customer_uid: &str,
        page: u32,
    ) -> Result<PaymentPage, Error> {
        const ENDPOINT: &str = "GET /subscribe/customers/{customer_uid}/payments";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            let mut url = self.url(ENDPOINT, "subscribe/customers", &[customer_uid])?;
            url.push_str(&format!("/payments?page={}", page.max(1)));
            let page: PaymentPage = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            let foreign = page
                .list
                .iter()
                .flatten()
                .any(|p| p.customer_uid.as_deref() != Some(customer_uid));
            match foreign {
                true => Err(crate::endpoints::foreign(ENDPOINT, "billing key")),
                false => Ok(page),
            }
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

/// A key's reply must be that `customer_uid`'s.
fn of_customer(
    endpoint: &'static str,
    info: &BillingKeyInfo,
    customer_uid: &str,
) -> Result<(), Error> {
    match info.customer_uid.as_deref() {
        Some(found) if found == customer_uid => Ok(()),
        _ => Err(foreign(endpoint, "billing key")),
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

/// A query value, percent-encoded; control characters refused.
fn query_value(endpoint: &'static str, value: &str) -> Result<String, Error> {
    crate::transport::segment(endpoint, value)
}
