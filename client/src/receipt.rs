//! The cash receipt of a transfer or a deposit, `/receipts/{imp_uid}`.

use portone_pg_core::rest::CashReceipt;
use std::fmt;

use serde::Serialize;

use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Replay, json_body, not_found};
use crate::{Client, Error, ErrorKind};

/// A cash receipt to issue, for [`Client::issue_cash_receipt`].
///
/// ```
/// use portone_pg_client::Receipt;
///
/// let receipt = Receipt::person("010-1234-5678");
/// assert!(!format!("{receipt:?}").contains("1234"));
/// ```
#[derive(Clone, Serialize)]
pub struct Receipt {
    identifier: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    identifier_type: Option<&'static str>,
}

impl fmt::Debug for Receipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The identifier is a phone, card or registration number.
        f.debug_struct("Receipt")
            .field("type", &self.kind)
            .finish_non_exhaustive()
    }
}

impl Receipt {
    /// For a person's income deduction, identified by a phone number or a
    /// cash-receipt card number.
    pub fn person(identifier: &str) -> Self {
        Receipt {
            identifier: identifier.to_owned(),
            kind: "person",
            identifier_type: None,
        }
    }

    /// As a company's expense proof, identified by a business
    /// registration number.
    pub fn company(registration_number: &str) -> Self {
        Receipt {
            identifier: registration_number.to_owned(),
            kind: "company",
            identifier_type: Some("business"),
        }
    }
}

impl Client {
    /// `POST /receipts/{imp_uid}`: issues the cash receipt of a payment
    /// (a transfer or a deposit) and returns it. The identifier never
    /// appears in `Debug`. When the outcome is unknown, the receipt is read
    /// back: one issued and not revoked means it happened; none means the
    /// request is sent once more.
    pub async fn issue_cash_receipt(
        &self,
        imp_uid: &str,
        receipt: &Receipt,
    ) -> Result<CashReceipt, Error> {
        const ENDPOINT: &str = "POST /receipts/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        let secrets = [receipt.identifier.clone()];
        let work = async {
            let url = self.url(ENDPOINT, "receipts", &[imp_uid])?;
            let body = json_body(ENDPOINT, receipt)?;
            let (call, url, body) = (&call, &url, &body);
            let send = move || async move {
                let issued: CashReceipt = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.json_request(reqwest::Method::POST, url, body)
                    })
                    .await?;
                of_payment(ENDPOINT, &issued, imp_uid)?;
                Ok(issued)
            };
            let probe = move || async move {
                match self.read_receipt(call, imp_uid).await {
                    Ok(found) if !revoked(&found) => Ok(Probe::Applied(found)),
                    Ok(_) => Ok(Probe::NotApplied),
                    Err(error) if not_found(&error) => Ok(Probe::NotApplied),
                    Err(error) => Err(error),
                }
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        };
        self.run_scrubbing(&call, &secrets, work).await
    }

    /// `GET /receipts/{imp_uid}`: the cash receipt of a payment.
    pub async fn cash_receipt(&self, imp_uid: &str) -> Result<CashReceipt, Error> {
        let call = Call::new("GET /receipts/{imp_uid}", Some(imp_uid), None);
        self.run(&call, self.read_receipt(&call, imp_uid)).await
    }

    async fn read_receipt(&self, call: &Call, imp_uid: &str) -> Result<CashReceipt, Error> {
        const ENDPOINT: &str = "GET /receipts/{imp_uid}";
        let url = self.url(ENDPOINT, "receipts", &[imp_uid])?;
        let receipt: CashReceipt = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        of_payment(ENDPOINT, &receipt, imp_uid)?;
        Ok(receipt)
    }

    /// `DELETE /receipts/{imp_uid}`: revokes a payment's cash receipt and
    /// returns it, revoked. An unknown outcome is resolved by reading it
    /// back (revoked: done; still issued: sent once more).
    pub async fn revoke_cash_receipt(&self, imp_uid: &str) -> Result<CashReceipt, Error> {
        const ENDPOINT: &str = "DELETE /receipts/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, async {
            let url = self.url(ENDPOINT, "receipts", &[imp_uid])?;
            let (call, url) = (&call, &url);
            let send = move || async move {
                let receipt: CashReceipt = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.shared.http.delete(url)
                    })
                    .await?;
                of_payment(ENDPOINT, &receipt, imp_uid)?;
                match revoked(&receipt) {
                    true => Ok(receipt),
                    false => Err(Error::new(ErrorKind::Body, ENDPOINT)
                        .with_message("the reply does not show the receipt revoked")),
                }
            };
            let probe = move || async move {
                let found = self.read_receipt(call, imp_uid).await?;
                Ok(match revoked(&found) {
                    true => Probe::Applied(found),
                    false => Probe::NotApplied,
                })
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        })
        .await
    }
}

fn revoked(receipt: &CashReceipt) -> bool {
    receipt
        .cancelled_at
        .as_ref()
        .is_some_and(|at| !at.is_unset())
}

fn of_payment(endpoint: &'static str, receipt: &CashReceipt, imp_uid: &str) -> Result<(), Error> {
    match receipt.imp_uid == imp_uid {
        true => Ok(()),
        false => Err(foreign(endpoint, "payment")),
    }
}
