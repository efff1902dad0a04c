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
//!
//! The charges are in `charge`, the schedules in `schedule`.

use std::fmt;

use portone_pg_core::Amount;
use portone_pg_core::rest::{BillingKeyInfo, PaymentPage};
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

// Declared after `order_setters`, which their builders use.
mod charge;
mod schedule;

pub use charge::{Again, Onetime};
pub use schedule::Schedule;

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

/// A query value, percent-encoded; control characters refused.
fn query_value(endpoint: &'static str, value: &str) -> Result<String, Error> {
    crate::transport::segment(endpoint, value)
}
