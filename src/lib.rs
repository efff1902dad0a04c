//! Strongly typed i'mport / PortOne V1 payment results: one Rust type per PG
//! provider, generated at compile time from declarative schema files, so
//! that reading a property your PG never sends is a compile error instead of
//! a `None` in production.
//!
//! ```
//! use portone_pg::{PaymentResponse, pg};
//!
//! // The body your callback endpoint received, and the `pg` you passed to
//! // IMP.request_pay.
//! let body = r#"{"success":true,"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004",
//!   "pay_method":"card","name":"당근 10kg","paid_amount":1004,"currency":"KRW","pg_provider":"kcp",
//!   "pg_tid":"22336466628585","pg_type":"payment","status":"paid","paid_at":1648344363}"#;
//! match PaymentResponse::from_json_with_pg("kcp.T0000", body.as_bytes())? {
//!     PaymentResponse::Kcp(kcp) => {
//!         // KCP always sends these on success: plain values, not Options.
//!         let paid: pg::KcpSuccess = kcp.into_success()?;
//!         assert_eq!(paid.paid_amount, portone_pg::Amount::from(1004));
//!     }
//!     // New-module PGs send only ids; `toss.paid_amount` does not compile.
//!     PaymentResponse::Tosspayments(toss) => drop(toss),
//!     other => println!("{:?} claims {}", other.provider(), other.outcome()),
//! }
//! # Ok::<(), portone_pg::Error>(())
//! ```
//!
//! A callback, a redirect or a webhook is a claim ([`Outcome`]); the only
//! proof of a payment is the REST object, checked against the order with
//! [`rest::Payment::verify`].
//!
//! - [`PaymentResponse`] dispatches a callback body to its PG's type
//!   ([`pg`] holds one type and one success view per PG); [`RedirectResult`]
//!   reads the `m_redirect_url` query, [`Webhook`] the webhook,
//!   [`rest::ApiResponse`] the REST envelope.
//! - Values are exact: [`Amount`] is decimal, [`Timestamp`] keeps what was
//!   received, unknown keys and codes are kept digit for digit.
//! - Features, each off by default: `client` (the V1 REST client,
//!   [`client::Client`]), `tracing`, `axum` and `actix-web` (extractors for
//!   the three doors), `rust_decimal`, `chrono`, `time`, `jiff` (value
//!   conversions), `schemars` (JSON Schema).
//! - Fulfilling each order exactly once is the job of the companion package
//!   `portone-pg-ledger`; a fake V1 API for tests is `portone-pg-fake`.
//!
//! The [README](https://github.com/portone-pg/portone-pg#readme) walks
//! through the whole flow; ARCHITECTURE.md and BENCHMARKS.md in the
//! repository describe the structure and the measurements.
#![deny(missing_docs)]

/// The README's examples, compiled and run with the crate's doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate self as portone_pg;

pub use portone_pg_core::{query, rest};

/// The V1 REST client (feature `client`): tokens, `confirm`, `prepare`,
/// safe cancels. See [`client::Client`].
#[cfg(any(feature = "client", feature = "client-ring"))]
pub use portone_pg_client as client;

#[cfg(any(feature = "axum", feature = "actix-web"))]
pub mod extract;
pub use portone_pg_core::{
    Amount, CivilDateTime, Currency, CustomData, EmbPgProvider, Error, ErrorKind, Flag, Integer,
    KeptValue, Outcome, PayMethod, PaymentWindow, Position, Presence, RedirectResult, SchemaField,
    Status, SuccessRule, Timestamp, UnknownResponse, Webhook, WindowMode, WithPg, check_value,
};

#[doc(hidden)]
pub use portone_pg_core::__private;

#[doc(hidden)]
pub use portone_pg_macros::schemas;

portone_pg_macros::schemas!(dir = "schemas");
