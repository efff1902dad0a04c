//! The objects of the billing-key API (`/subscribe/...`): a stored card and a
//! scheduled payment, as the
//! [V1 API reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L567)
//! describes them.

use crate::parse::object::json_object;
use crate::value::{Currency, Status};
use crate::{Amount, Flag, Integer, Timestamp};

json_object! {
    /// `CustomerAnnotation`: the card a billing key stands for, stored under
    /// the merchant's `customer_uid` (`GET|POST|DELETE
    /// /subscribe/customers/{customer_uid}`). PortOne never returns the key
    /// itself; the card number is masked. The `customer_uid` and the card
    /// holder's details are redacted in `Debug`.
    pub struct BillingKeyInfo ("billing key") {
        /// The merchant's id for this card (personal data when it is, as
        /// often, an email address or a phone number).
        customer_uid: String, pii;
        /// The PG the key was issued by.
        pg_provider: String, optional;
        /// The PG store id (MID) it was issued under.
        pg_id: String, optional;
        /// Whether it was issued through a test channel.
        sandbox: Flag, optional;
        /// The merchant's id for the buyer.
        customer_id: String, optional;
        /// The card company's name.
        card_name: String, optional;
        /// The card company's code.
        card_code: String, optional;
        /// The card issuer's code (some PGs).
        card_issuer_code: String, optional;
        /// The card issuer's name (some PGs).
        card_issuer_name: String, optional;
        /// The card publisher's code (some PGs).
        card_publisher_code: String, optional;
        /// The card publisher's name (some PGs).
        card_publisher_name: String, optional;
        /// The masked card number.
        card_number: String, pii;
        /// 0 credit, 1 check card; `null` for some PGs.
        card_type: Integer, optional;
        /// The card holder's name.
        customer_name: String, pii;
        /// The card holder's phone number.
        customer_tel: String, pii;
        /// The card holder's email address.
        customer_email: String, pii;
        /// The card holder's address.
        customer_addr: String, pii;
        /// The card holder's postcode.
        customer_postcode: String, pii;
        /// When the key was issued.
        inserted: Timestamp, optional;
        /// When it was last replaced.
        updated: Timestamp, optional;
    }
}

json_object! {
    /// `ScheduleResultAnnotation`: a payment PortOne will make, or made, with
    /// a stored card at a set time (`POST /subscribe/payments/schedule` and
    /// the schedule lookups). The `customer_uid` and the buyer's details are
    /// redacted in `Debug`.
    ///
    /// A schedule that ran is only a pointer: its `imp_uid` names the
    /// payment, which is what proves it (fetch and verify it).
    pub struct ScheduledPayment ("schedule") {
        /// The card's `customer_uid`.
        customer_uid: String, pii;
        /// The order id the payment will carry.
        merchant_uid: String, id;
        /// The payment, once the schedule ran; `None` before.
        imp_uid: String, optional;
        /// The PG that made it (with a routing billing key).
        pg_provider: String, optional;
        /// The PG store id (MID) that made it.
        pg_id: String, optional;
        /// The merchant's id for the buyer.
        customer_id: String, optional;
        /// When it is to run.
        schedule_at: Timestamp, required;
        /// When it ran; 0 before.
        executed_at: Timestamp, optional;
        /// When it was withdrawn; 0 unless it was.
        revoked_at: Timestamp, optional;
        /// The amount to charge.
        amount: Amount, required;
        /// The currency.
        currency: Currency, optional;
        /// The order name.
        name: String, optional;
        /// The buyer's name.
        buyer_name: String, pii;
        /// The buyer's email address.
        buyer_email: String, pii;
        /// The buyer's phone number.
        buyer_tel: String, pii;
        /// The buyer's address.
        buyer_addr: String, pii;
        /// The buyer's postcode.
        buyer_postcode: String, pii;
        /// Stored with the payment when it runs.
        custom_data: String, optional;
        /// `scheduled`, `executed` or `revoked`.
        schedule_status: String, required;
        /// The payment's status once it ran (`paid` or `failed`).
        payment_status: Status, optional;
        /// Why the payment failed, if it did.
        fail_reason: String, optional;
        /// The promotion applied to the payment (some PGs).
        promotion_id: String, optional;
    }
}
