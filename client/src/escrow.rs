//! The delivery of an escrow payment, `/escrows/logis/{imp_uid}`
//! ([reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L1368)).

use portone_pg_core::rest::EscrowDelivery;
use std::fmt;

use serde::Serialize;

use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Replay, json_body};
use crate::{Client, Error, ErrorKind};

/// One end of a delivery: who sends or receives it. Personal data, kept out
/// of `Debug`; which fields a PG needs differs (KG Inicis wants them all).
#[derive(Clone, Default, Serialize)]
pub struct Party {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tel: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    addr: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    postcode: Option<String>,
}

impl fmt::Debug for Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted party]")
    }
}

impl Party {
    /// A name, phone number, address and postcode.
    pub fn new(name: &str, tel: &str, addr: &str, postcode: &str) -> Self {
        Party {
            name: Some(name.to_owned()),
            tel: Some(tel.to_owned()),
            addr: Some(addr.to_owned()),
            postcode: Some(postcode.to_owned()),
        }
    }
}

/// An escrow payment's delivery, for [`Client::register_escrow_delivery`].
///
/// ```
/// use portone_pg_client::{Delivery, Party};
///
/// let delivery = Delivery::new("CJGLS", "646712345678", 1_764_900_000)
///     .sender(Party::new("포트원 상점", "02-1234-5678", "서울시 강남구", "06236"))
///     .receiver(Party::new("홍길동", "010-1234-5678", "서울시 성동구", "04799"));
/// assert!(!format!("{delivery:?}").contains("홍길동"));
/// ```
#[derive(Clone, Debug)]
pub struct Delivery {
    company: String,
    invoice: String,
    sent_at: i64,
    sender: Party,
    receiver: Party,
}

impl Delivery {
    /// Sent with the courier `company` (its code) under tracking number
    /// `invoice` at `sent_at` (UNIX seconds).
    pub fn new(company: &str, invoice: &str, sent_at: i64) -> Self {
        Delivery {
            company: company.to_owned(),
            invoice: invoice.to_owned(),
            sent_at,
            sender: Party::default(),
            receiver: Party::default(),
        }
    }

    /// Who sends it.
    pub fn sender(mut self, sender: Party) -> Self {
        self.sender = sender;
        self
    }

    /// Who receives it.
    pub fn receiver(mut self, receiver: Party) -> Self {
        self.receiver = receiver;
        self
    }
}

#[derive(Serialize)]
struct DeliveryBody<'a> {
    sender: &'a Party,
    receiver: &'a Party,
    logis: Logis<'a>,
}

#[derive(Serialize)]
struct Logis<'a> {
    company: &'a str,
    invoice: &'a str,
    sent_at: i64,
}

impl Client {
    /// `POST /escrows/logis/{imp_uid}`: registers an escrow payment's
    /// delivery and returns it as registered. When the outcome is unknown,
    /// the registration is read back: this tracking number means it
    /// happened; none means the request is sent once more.
    pub async fn register_escrow_delivery(
        &self,
        imp_uid: &str,
        delivery: &Delivery,
    ) -> Result<EscrowDelivery, Error> {
        const ENDPOINT: &str = "POST /escrows/logis/{imp_uid}";
        self.send_delivery(ENDPOINT, reqwest::Method::POST, imp_uid, delivery)
            .await
    }

    /// `PUT /escrows/logis/{imp_uid}`: changes a registered delivery (a new
    /// tracking number). Sending it twice sets the same values.
    pub async fn update_escrow_delivery(
        &self,
        imp_uid: &str,
        delivery: &Delivery,
    ) -> Result<EscrowDelivery, Error> {
        const ENDPOINT: &str = "PUT /escrows/logis/{imp_uid}";
        self.send_delivery(ENDPOINT, reqwest::Method::PUT, imp_uid, delivery)
            .await
    }

    async fn send_delivery(
        &self,
        endpoint: &'static str,
        method: reqwest::Method,
        imp_uid: &str,
        delivery: &Delivery,
    ) -> Result<EscrowDelivery, Error> {
        let call = Call::new(endpoint, Some(imp_uid), None);
        self.run(&call, async {
            let url = self.url(endpoint, "escrows/logis", &[imp_uid])?;
            let body = json_body(
                endpoint,
                &DeliveryBody {
                    sender: &delivery.sender,
                    receiver: &delivery.receiver,
                    logis: Logis {
                        company: &delivery.company,
                        invoice: &delivery.invoice,
                        sent_at: delivery.sent_at,
                    },
                },
            )?;
            let registered = |found: &EscrowDelivery| {
                found.invoice == delivery.invoice && found.company == delivery.company
            };
            let (call, url, body, registered, method) = (&call, &url, &body, &registered, &method);
            let send = move || async move {
                let found: EscrowDelivery = self
                    .call(call, endpoint, Replay::Never, || {
                        self.json_request(method.clone(), url, body)
                    })
                    .await?;
                match registered(&found) {
                    true => Ok(found),
                    false => Err(foreign(endpoint, "delivery")),
                }
            };
            let probe = move || async move {
                match self.read_delivery(call, imp_uid).await {
                    Ok(found) if registered(&found) => Ok(Probe::Applied(found)),
                    Ok(_) if *method == reqwest::Method::PUT => Ok(Probe::NotApplied),
                    Ok(_) => Ok(Probe::Other("another delivery is registered".into())),
                    Err(error) if error.is_not_found() => Ok(Probe::NotApplied),
                    Err(error) => Err(error),
                }
            };
            once(endpoint, ErrorKind::OutcomeUnknown, send, probe).await
        })
        .await
    }

    /// `GET /escrows/logis/{imp_uid}`: the delivery registered for an
    /// escrow payment (none: an [`ErrorKind::Api`] error, HTTP 404).
    pub async fn escrow_delivery(&self, imp_uid: &str) -> Result<EscrowDelivery, Error> {
        let call = Call::new("GET /escrows/logis/{imp_uid}", Some(imp_uid), None);
        self.run(&call, self.read_delivery(&call, imp_uid)).await
    }

    async fn read_delivery(&self, call: &Call, imp_uid: &str) -> Result<EscrowDelivery, Error> {
        const ENDPOINT: &str = "GET /escrows/logis/{imp_uid}";
        let url = self.url(ENDPOINT, "escrows/logis", &[imp_uid])?;
        self.call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await
    }
}
