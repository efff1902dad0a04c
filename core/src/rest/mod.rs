//! The REST payment object, `GET /payments/{imp_uid}`: the only proof of a
//! payment, and [`Payment::verify`], the only way this crate hands out a
//! "paid" fact.
//!
//! ```
//! # use portone_pg_core as portone_pg;
//! use portone_pg::rest::{ApiResponse, Expected, Payment, Settlement};
//! use portone_pg::Amount;
//!
//! // The body your server fetched with GET /payments/imp_245081751564.
//! let body = br#"{"code":0,"message":null,"response":{"imp_uid":"imp_245081751564",
//!   "merchant_uid":"order-1","amount":1004,"cancel_amount":0,"currency":"KRW","status":"paid",
//!   "pay_method":"card","pg_provider":"kcp","paid_at":1654780104}}"#;
//! let payment = ApiResponse::<Payment>::from_json(body)?.into_result()?;
//!
//! // Compare with the order you stored before opening the payment window.
//! let expected = Expected::new("order-1", Amount::from(1004)).imp_uid("imp_245081751564");
//! let verified = payment.verify(&expected).expect("the amounts agree");
//! assert_eq!(verified.settlement(), Settlement::Paid);
//!
//! // A tampered amount is refused, saying what differs.
//! let err = payment.verify(&Expected::new("order-1", Amount::from(100_000))).unwrap_err();
//! assert_eq!(err.to_string(), "amount: expected 100000, the payment says 1004");
//! # Ok::<(), portone_pg::Error>(())
//! ```

mod billing;
mod envelope;
mod objects;
mod receipt;
mod verify;

pub use billing::{BillingKeyInfo, ScheduledPayment};
pub use envelope::{ApiResponse, Payload, Verdict, parse_envelope};
pub use objects::{
    AccountHolder, BalanceChange, BalanceParts, Cancellation, Certification, Deposit,
    EscrowDelivery, Payment, PaymentBalance, PaymentPage, Prepared, Promotion, StandardCode,
};
pub use receipt::{CashReceipt, ExternalCashReceipt};
pub use verify::{Expected, Settlement, VerifiedPayment, VerifyError};
