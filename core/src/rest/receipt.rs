//! Cash receipts: of a payment made through PortOne, and of a cash sale
//! made outside it, as the
//! [V1 API reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L4734)
//! describes them.

use std::collections::BTreeMap;

use crate::parse::object::json_object;
use crate::{Amount, KeptValue, Timestamp};

json_object! {
    /// `ReceiptAnnotation`: a cash receipt issued for a payment
    /// (`GET|POST|DELETE /receipts/{imp_uid}`). Its `type` is
    /// [`receipt_type`](Self::receipt_type).
    pub struct CashReceipt ("cash receipt") {
        /// The payment it is for.
        imp_uid: String, id;
        /// The PG's id for the receipt.
        receipt_tid: String, optional;
        /// The National Tax Service's approval number.
        apply_num: String, optional;
        /// The amount receipted.
        amount: Amount, required;
        /// Of which VAT.
        vat: Amount, optional;
        /// The receipt's URL.
        receipt_url: String, optional;
        /// When it was issued.
        applied_at: Timestamp, optional;
        /// When it was revoked; 0 unless it was.
        cancelled_at: Timestamp, optional;
    }
}

json_object! {
    /// `ExternalReceiptAnnotation`: a cash receipt issued through PortOne
    /// for a cash sale made outside it, known by the merchant's order id
    /// (`GET|POST|DELETE /receipts/external/{merchant_uid}`). Its `type`
    /// is [`receipt_type`](Self::receipt_type).
    pub struct ExternalCashReceipt ("external cash receipt") {
        /// The merchant's order id of the sale.
        merchant_uid: String, id;
        /// The PG's id for the receipt.
        receipt_tid: String, optional;
        /// The National Tax Service's approval number.
        apply_num: String, optional;
        /// The amount receipted.
        amount: Amount, required;
        /// Of which VAT.
        vat: Amount, optional;
        /// The receipt's URL.
        receipt_url: String, optional;
        /// When it was issued.
        applied_at: Timestamp, optional;
        /// When it was revoked; 0 unless it was.
        cancelled_at: Timestamp, optional;
    }
}

impl CashReceipt {
    /// `person` (income deduction) or `company` (expense proof): the
    /// object's `type`, a Rust keyword, so kept in `extra`.
    pub fn receipt_type(&self) -> Option<&str> {
        receipt_type(&self.extra)
    }

    /// Whether it was revoked (`cancelled_at` set and not 0).
    pub fn is_revoked(&self) -> bool {
        is_set(self.cancelled_at.as_ref())
    }
}

impl ExternalCashReceipt {
    /// `person` or `company`, as [`CashReceipt::receipt_type`].
    pub fn receipt_type(&self) -> Option<&str> {
        receipt_type(&self.extra)
    }

    /// Whether it was revoked (`cancelled_at` set and not 0).
    pub fn is_revoked(&self) -> bool {
        is_set(self.cancelled_at.as_ref())
    }
}

fn receipt_type(extra: &BTreeMap<String, KeptValue>) -> Option<&str> {
    extra.get("type").and_then(KeptValue::as_str)
}

fn is_set(at: Option<&Timestamp>) -> bool {
    at.is_some_and(|at| !at.is_unset())
}
