//! Cash receipts: of a payment (`/receipts/{imp_uid}`) and of a cash sale
//! made outside PortOne (`/receipts/external/{merchant_uid}`), issued,
//! read and revoked the same way.

use std::fmt;

use portone_pg_core::Amount;
use portone_pg_core::rest::{CashReceipt, ExternalCashReceipt, Payload};
use serde::Serialize;

use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Buyer, Replay, exact, exact_opt, json_body};
use crate::{Client, Error, ErrorKind};

/// Who a cash receipt is for, for [`Client::issue_cash_receipt`] and
/// [`ExternalReceipt`].
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

/// A cash receipt for a cash sale made outside PortOne, for
/// [`Client::issue_external_receipt`]
/// ([reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L5124)).
///
/// ```
/// use portone_pg_client::{ExternalReceipt, Receipt};
/// use portone_pg_core::Amount;
///
/// let receipt = ExternalReceipt::new(
///     "channel-key-…",
///     "Counter sale",
///     Amount::from(33_000),
///     Receipt::person("010-1234-5678"),
/// )
/// .buyer("홍길동", None, Some("010-1234-5678"))
/// .product_type("real");
/// assert!(!format!("{receipt:?}").contains("1234"));
/// ```
#[derive(Clone, Serialize)]
pub struct ExternalReceipt {
    channel_key: String,
    name: String,
    #[serde(serialize_with = "exact")]
    amount: Amount,
    #[serde(flatten)]
    receipt: Receipt,
    #[serde(skip_serializing_if = "Option::is_none")]
    product_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "exact_opt")]
    tax_free: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "exact_opt")]
    vat_amount: Option<Amount>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corp_reg_no: Option<String>,
    #[serde(flatten)]
    buyer: Buyer,
}

impl fmt::Debug for ExternalReceipt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The identifier and the buyer are personal data.
        f.debug_struct("ExternalReceipt")
            .field("name", &self.name)
            .field("amount", &self.amount)
            .field("receipt", &self.receipt)
            .finish_non_exhaustive()
    }
}

impl ExternalReceipt {
    /// A receipt of `amount` for the sale `name`, through the channel
    /// `channel_key`, for whom `receipt` says.
    pub fn new(channel_key: &str, name: &str, amount: Amount, receipt: Receipt) -> Self {
        ExternalReceipt {
            channel_key: channel_key.to_owned(),
            name: name.to_owned(),
            amount,
            receipt,
            product_type: None,
            tax_free: None,
            vat_amount: None,
            corp_reg_no: None,
            buyer: Buyer::default(),
        }
    }

    /// `real` goods or `digital` content (KSNET needs it).
    pub fn product_type(mut self, product_type: &str) -> Self {
        self.product_type = Some(product_type.to_owned());
        self
    }

    /// The tax-free part of the amount (0 when not given).
    pub fn tax_free(mut self, amount: Amount) -> Self {
        self.tax_free = Some(amount);
        self
    }

    /// The VAT, for merchants who set it themselves.
    pub fn vat_amount(mut self, amount: Amount) -> Self {
        self.vat_amount = Some(amount);
        self
    }

    /// The merchant's business registration number (Welcome Payments
    /// needs it).
    pub fn corp_reg_no(mut self, number: &str) -> Self {
        self.corp_reg_no = Some(number.to_owned());
        self
    }

    /// The buyer's name, email address and phone number (some PGs need
    /// them): personal data, kept out of `Debug` and errors.
    pub fn buyer(mut self, name: &str, email: Option<&str>, tel: Option<&str>) -> Self {
        self.buyer = Buyer::new(name, email, tel);
        self
    }
}

/// What the two kinds of receipt share: one issue, read and revoke.
trait Kept: Payload + serde::de::DeserializeOwned {
    /// The path before the id, and the endpoints as templates.
    const PATH: &'static str;
    const ISSUE: &'static str;
    const READ: &'static str;
    const REVOKE: &'static str;
    /// A call's record (span) naming the id the right way.
    fn call(endpoint: &'static str, key: &str) -> Call;
    /// The id asked for, in the URL and in the reply.
    fn key(&self) -> &str;
    fn revoked(&self) -> bool;
}

impl Kept for CashReceipt {
    const PATH: &'static str = "receipts";
    const ISSUE: &'static str = "POST /receipts/{imp_uid}";
    const READ: &'static str = "GET /receipts/{imp_uid}";
    const REVOKE: &'static str = "DELETE /receipts/{imp_uid}";
    fn call(endpoint: &'static str, imp_uid: &str) -> Call {
        Call::new(endpoint, Some(imp_uid), None)
    }
    fn key(&self) -> &str {
        &self.imp_uid
    }
    fn revoked(&self) -> bool {
        self.is_revoked()
    }
}

impl Kept for ExternalCashReceipt {
    const PATH: &'static str = "receipts/external";
    const ISSUE: &'static str = "POST /receipts/external/{merchant_uid}";
    const READ: &'static str = "GET /receipts/external/{merchant_uid}";
    const REVOKE: &'static str = "DELETE /receipts/external/{merchant_uid}";
    fn call(endpoint: &'static str, merchant_uid: &str) -> Call {
        Call::new(endpoint, None, Some(merchant_uid))
    }
    fn key(&self) -> &str {
        &self.merchant_uid
    }
    fn revoked(&self) -> bool {
        self.is_revoked()
    }
}

impl Client {
    /// `POST /receipts/{imp_uid}`: issues the cash receipt of a payment
    /// (a transfer or a deposit) and returns it. The identifier never
    /// appears in `Debug` or errors. When the outcome is unknown, the
    /// receipt is read back: one issued and not revoked means it happened;
    /// none means the request is sent once more.
    pub async fn issue_cash_receipt(
        &self,
        imp_uid: &str,
        receipt: &Receipt,
    ) -> Result<CashReceipt, Error> {
        let secrets = vec![receipt.identifier.clone()];
        self.issue_receipt(imp_uid, receipt, secrets).await
    }

    /// `GET /receipts/{imp_uid}`: the cash receipt of a payment.
    pub async fn cash_receipt(&self, imp_uid: &str) -> Result<CashReceipt, Error> {
        let call = CashReceipt::call(CashReceipt::READ, imp_uid);
        self.run(&call, self.read_receipt(&call, imp_uid)).await
    }

    /// `DELETE /receipts/{imp_uid}`: revokes a payment's cash receipt and
    /// returns it, revoked. An unknown outcome is resolved by reading it
    /// back (revoked: done; still issued: sent once more).
    pub async fn revoke_cash_receipt(&self, imp_uid: &str) -> Result<CashReceipt, Error> {
        let call = CashReceipt::call(CashReceipt::REVOKE, imp_uid);
        self.run(&call, self.revoke_receipt(&call, imp_uid)).await
    }

    /// `POST /receipts/external/{merchant_uid}`: issues a cash receipt for
    /// a cash sale made outside PortOne, known by its order id, and
    /// returns it. The identifier and the buyer never appear in `Debug` or
    /// errors; an unknown outcome is resolved by reading the receipt back,
    /// as [`issue_cash_receipt`](Self::issue_cash_receipt) does.
    pub async fn issue_external_receipt(
        &self,
        merchant_uid: &str,
        receipt: &ExternalReceipt,
    ) -> Result<ExternalCashReceipt, Error> {
        let secrets = std::iter::once(receipt.receipt.identifier.clone())
            .chain(receipt.buyer.secrets())
            .collect();
        self.issue_receipt(merchant_uid, receipt, secrets).await
    }

    /// `GET /receipts/external/{merchant_uid}`: the cash receipt of a sale
    /// made outside PortOne.
    pub async fn external_receipt(&self, merchant_uid: &str) -> Result<ExternalCashReceipt, Error> {
        let call = ExternalCashReceipt::call(ExternalCashReceipt::READ, merchant_uid);
        self.run(&call, self.read_receipt(&call, merchant_uid))
            .await
    }

    /// `DELETE /receipts/external/{merchant_uid}`: revokes it and returns
    /// it, revoked, resolving an unknown outcome as
    /// [`revoke_cash_receipt`](Self::revoke_cash_receipt) does.
    pub async fn revoke_external_receipt(
        &self,
        merchant_uid: &str,
    ) -> Result<ExternalCashReceipt, Error> {
        let call = ExternalCashReceipt::call(ExternalCashReceipt::REVOKE, merchant_uid);
        self.run(&call, self.revoke_receipt(&call, merchant_uid))
            .await
    }

    async fn issue_receipt<R: Kept>(
        &self,
        key: &str,
        receipt: &impl Serialize,
        secrets: Vec<String>,
    ) -> Result<R, Error> {
        let call = R::call(R::ISSUE, key);
        let work = async {
            let url = self.url(R::ISSUE, R::PATH, &[key])?;
            let body = json_body(R::ISSUE, receipt)?;
            let (call, url, body) = (&call, &url, &body);
            let send = move || async move {
                let issued: R = self
                    .call(call, R::ISSUE, Replay::Never, || {
                        self.json_request(reqwest::Method::POST, url, body)
                    })
                    .await?;
                of_key(R::ISSUE, &issued, key)?;
                Ok(issued)
            };
            let probe = move || async move {
                match self.read_receipt::<R>(call, key).await {
                    Ok(found) if !found.revoked() => Ok(Probe::Applied(found)),
                    Ok(_) => Ok(Probe::NotApplied),
                    Err(error) if error.is_not_found() => Ok(Probe::NotApplied),
                    Err(error) => Err(error),
                }
            };
            once(R::ISSUE, ErrorKind::OutcomeUnknown, send, probe).await
        };
        self.run_scrubbing(&call, &secrets, work).await
    }

    async fn read_receipt<R: Kept>(&self, call: &Call, key: &str) -> Result<R, Error> {
        let url = self.url(R::READ, R::PATH, &[key])?;
        let receipt: R = self
            .call(call, R::READ, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        of_key(R::READ, &receipt, key)?;
        Ok(receipt)
    }

    async fn revoke_receipt<R: Kept>(&self, call: &Call, key: &str) -> Result<R, Error> {
        let url = self.url(R::REVOKE, R::PATH, &[key])?;
        let url = &url;
        let send = move || async move {
            let receipt: R = self
                .call(call, R::REVOKE, Replay::Never, || {
                    self.shared.http.delete(url)
                })
                .await?;
            of_key(R::REVOKE, &receipt, key)?;
            match receipt.revoked() {
                true => Ok(receipt),
                false => Err(Error::new(ErrorKind::Body, R::REVOKE)
                    .with_message("the reply does not show the receipt revoked")),
            }
        };
        let probe = move || async move {
            let found = self.read_receipt::<R>(call, key).await?;
            Ok(match found.revoked() {
                true => Probe::Applied(found),
                false => Probe::NotApplied,
            })
        };
        once(R::REVOKE, ErrorKind::OutcomeUnknown, send, probe).await
    }
}

fn of_key<R: Kept>(endpoint: &'static str, receipt: &R, key: &str) -> Result<(), Error> {
    match receipt.key() == key {
        true => Ok(()),
        false => Err(foreign(endpoint, "receipt")),
    }
}
