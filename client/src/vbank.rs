//! Virtual accounts issued without a payment window: `POST /vbanks` and
//! `PUT /vbanks/{imp_uid}`
//! ([reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L7554)).
//! Revoking one is [`Client::revoke_vbank`]. Also the holder of a bank
//! account, to check a refund account before refunding to it.

use std::fmt;

use portone_pg_core::rest::{AccountHolder, Payment};
use portone_pg_core::{Amount, Status};
use serde::Serialize;

use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Buyer, Exact, Replay, exact, json_body, segment};
use crate::{Client, Error, ErrorKind};

/// A virtual account to issue for an order, for [`Client::issue_vbank`].
///
/// ```
/// use portone_pg_client::Vbank;
/// use portone_pg_core::Amount;
///
/// let account = Vbank::new("order-7", Amount::from(25_000), "004", 1_798_761_600)
///     .name("Winter jacket")
///     .holder("(주)포트원 상점")
///     .channel_key("channel-key-…");
/// # let _ = account;
/// ```
#[derive(Clone, Serialize)]
pub struct Vbank {
    merchant_uid: String,
    #[serde(serialize_with = "exact")]
    amount: Amount,
    vbank_code: String,
    vbank_due: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    vbank_holder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel_key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pg: Option<String>,
    #[serde(flatten)]
    buyer: Buyer,
}

impl fmt::Debug for Vbank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The buyer's details are personal data.
        f.debug_struct("Vbank")
            .field("merchant_uid", &self.merchant_uid)
            .field("amount", &self.amount)
            .field("vbank_code", &self.vbank_code)
            .field("vbank_due", &self.vbank_due)
            .finish_non_exhaustive()
    }
}

impl Vbank {
    /// An account at the bank `vbank_code` (the standard code, `"004"`)
    /// awaiting `amount` for `merchant_uid` until `vbank_due` (UNIX seconds).
    pub fn new(merchant_uid: &str, amount: Amount, vbank_code: &str, vbank_due: i64) -> Self {
        Vbank {
            merchant_uid: merchant_uid.to_owned(),
            amount,
            vbank_code: vbank_code.to_owned(),
            vbank_due,
            vbank_holder: None,
            name: None,
            channel_key: None,
            pg: None,
            buyer: Buyer::default(),
        }
    }

    /// The name shown as the account's holder.
    pub fn holder(mut self, holder: &str) -> Self {
        self.vbank_holder = Some(holder.to_owned());
        self
    }

    /// The order's name.
    pub fn name(mut self, name: &str) -> Self {
        self.name = Some(name.to_owned());
        self
    }

    /// The channel (`channel_key`), which PortOne's reference marks required.
    pub fn channel_key(mut self, key: &str) -> Self {
        self.channel_key = Some(key.to_owned());
        self
    }

    /// The PG (`pg`) for accounts without channels.
    pub fn pg(mut self, pg: &str) -> Self {
        self.pg = Some(pg.to_owned());
        self
    }

    /// The buyer's name, email address and phone number: personal data,
    /// kept out of `Debug`.
    pub fn buyer(mut self, name: &str, email: Option<&str>, tel: Option<&str>) -> Self {
        self.buyer = Buyer::new(name, email, tel);
        self
    }
}

#[derive(Serialize)]
struct ChangeBody<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<Exact<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vbank_due: Option<i64>,
}

/// An issued account's reply: that order's, for that amount, awaiting it.
fn issued(endpoint: &'static str, payment: &Payment, vbank: &Vbank) -> Result<(), Error> {
    if payment.merchant_uid != vbank.merchant_uid {
        return Err(foreign(endpoint, "order"));
    }
    if payment.amount != vbank.amount || payment.status != Status::Ready {
        return Err(Error::new(ErrorKind::Body, endpoint)
            .with_message("the reply is not an account awaiting the amount asked for"));
    }
    Ok(())
}

impl Client {
    /// `POST /vbanks`: issues a virtual account and returns its payment,
    /// `status: ready`, with the account's number (redacted in `Debug`).
    ///
    /// When the outcome is unknown, it looks the order up
    /// (`GET /payments/find/{merchant_uid}/ready`): an account awaiting the
    /// amount is returned; none means the request is sent once more, so
    /// that one call never leaves two accounts; anything else is an
    /// [`ErrorKind::OutcomeUnknown`] error.
    pub async fn issue_vbank(&self, vbank: Vbank) -> Result<Payment, Error> {
        const ENDPOINT: &str = "POST /vbanks";
        let call = Call::new(ENDPOINT, None, Some(&vbank.merchant_uid));
        self.run(&call, async {
            let body = json_body(ENDPOINT, &vbank)?;
            let url = format!("{}/vbanks", self.shared.base);
            let (call, url, body, vbank) = (&call, &url, &body, &vbank);
            let send = move || async move {
                let payment: Payment = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.json_request(reqwest::Method::POST, url, body)
                    })
                    .await?;
                issued(ENDPOINT, &payment, vbank)?;
                Ok(payment)
            };
            let probe = move || async move {
                const FIND: &str = "GET /payments/find/{merchant_uid}";
                let url = self.url(FIND, "payments/find", &[&vbank.merchant_uid, "ready"])?;
                let found: Result<Payment, Error> = self
                    .call(call, FIND, Replay::Safe, || self.shared.http.get(&url))
                    .await;
                match found {
                    Ok(payment) if issued(FIND, &payment, vbank).is_ok() => {
                        Ok(Probe::Applied(payment))
                    }
                    Ok(_) => Ok(Probe::Other(
                        "the order has another account awaiting payment".into(),
                    )),
                    Err(error) if error.is_not_found() => Ok(Probe::NotApplied),
                    Err(error) => Err(error),
                }
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        })
        .await
    }

    /// `PUT /vbanks/{imp_uid}`: changes the amount an account awaits and/or
    /// its deadline, before the deposit. Sending it twice sets the same
    /// values, so it is retried after a 401 like a lookup; a reply without
    /// the values asked for is an [`ErrorKind::Body`] error.
    pub async fn change_vbank(
        &self,
        imp_uid: &str,
        amount: Option<Amount>,
        due: Option<i64>,
    ) -> Result<Payment, Error> {
        const ENDPOINT: &str = "PUT /vbanks/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, async {
            if amount.is_none() && due.is_none() {
                return Err(Error::new(ErrorKind::InvalidRequest, ENDPOINT)
                    .with_message("nothing to change"));
            }
            let url = self.url(ENDPOINT, "vbanks", &[imp_uid])?;
            let body = json_body(
                ENDPOINT,
                &ChangeBody {
                    amount: amount.as_ref().map(Exact),
                    vbank_due: due,
                },
            )?;
            let payment: Payment = self
                .call(&call, ENDPOINT, Replay::Safe, || {
                    self.json_request(reqwest::Method::PUT, &url, &body)
                })
                .await?;
            let due_found = payment.vbank_date.as_ref().and_then(|d| d.unix_seconds());
            if payment.imp_uid != imp_uid
                || amount.is_some_and(|a| a != payment.amount)
                || due.is_some_and(|d| Some(d) != due_found)
            {
                return Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply is not this account with the values asked for"));
            }
            Ok(payment)
        })
        .await
    }
}

impl Client {
    /// `GET /vbanks/holder`: the name the bank `bank_code` (its standard
    /// code, `"004"`) has for the holder of account `bank_num`, to check
    /// a refund account ([`RefundAccount`](crate::RefundAccount)) before
    /// refunding to it. The
    /// [official Java client](https://github.com/iamport/iamport-rest-client-java/blob/821d7394c695cb8b78a456ebd80a260729d992c5/src/main/java/com/siot/IamportRestClient/Iamport.java#L502)
    /// calls it; PortOne's V1 reference does not list it. The account
    /// number and the name stay out of traces and errors.
    pub async fn account_holder(
        &self,
        bank_code: &str,
        bank_num: &str,
    ) -> Result<AccountHolder, Error> {
        const ENDPOINT: &str = "GET /vbanks/holder";
        let call = Call::new(ENDPOINT, None, None);
        let secrets = [bank_num.to_owned()];
        let work = async {
            let url = format!(
                "{}/vbanks/holder?bank_code={}&bank_num={}",
                self.shared.base,
                segment(ENDPOINT, bank_code)?,
                segment(ENDPOINT, bank_num)?
            );
            self.call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await
        };
        self.run_scrubbing(&call, &secrets, work).await
    }
}
