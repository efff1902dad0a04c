//! Charges of a card: `again` (one stored as a billing key) and `onetime`
//! (one given now). A charge whose reply is lost is resolved by the
//! order's paid payment, never resent blindly.

use std::fmt;

use portone_pg_core::rest::Payment;
use portone_pg_core::{Amount, Status};
use serde::Serialize;

use super::{Card, CardBody, Order};
use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Buyer, Replay, json_body};
use crate::{Client, Error, ErrorKind};

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

/// A charge's outcome: paid, or declined with PortOne's reason.
pub(super) fn paid(endpoint: &'static str, payment: Payment) -> Result<Payment, Error> {
    match payment.status {
        Status::Paid => Ok(payment),
        _ => Err(Error::declined(endpoint, payment)),
    }
}

impl Client {
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
    pub(super) async fn charge(
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
}
