//! Runtime types of [portone-pg]: exact amounts, lenient flags and
//! timestamps, open code enums, the claimed [`Outcome`], the [`Error`] type,
//! and the dispatch helpers the generated per-PG types use.
//!
//! Depend on `portone-pg`, which re-exports everything here; this crate exists
//! so that the runtime types compile independently of the schema macro.
//!
//! Each module builds only on the ones before it here: the error and
//! outcome types; `value` (the received values, their leniency, and how each
//! is written back); `parse` (what generated code drives: the tag scanner,
//! the catalogue table, the parse context, the schema's rules, redaction,
//! query decoding); then one module per channel — responses of no known PG,
//! redirects, webhooks, the REST objects. `__private` lists what generated
//! code uses, and holds no code.
//!
//! [portone-pg]: https://docs.rs/portone-pg

#![deny(missing_docs)]

// Modules in dependency order: `error` and `outcome` (shared words), `value` (the
// received values and their leniency), `parse` (the machinery generated
// code drives), then one module per channel a result arrives through.
/// Expands its input only with the `schemars` feature: the `JsonSchema`
/// impls of generated code, gated by this crate's feature wherever the code
/// is expanded.
#[cfg(feature = "schemars")]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_schemars {
    ($($item:tt)*) => { $($item)* };
}

/// Without the `schemars` feature: nothing.
#[cfg(not(feature = "schemars"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_schemars {
    ($($item:tt)*) => {};
}

pub mod convert;
mod error;
#[cfg(feature = "schemars")]
#[doc(hidden)]
pub mod json_schema;
mod outcome;
mod parse;
pub mod query;
mod redirect;
pub mod rest;
mod schema;
mod unknown;
mod value;
mod webhook;

#[doc(hidden)]
pub mod __private;

pub use error::{Error, ErrorKind, Position};
pub use outcome::Outcome;
pub use redirect::RedirectResult;
pub use schema::{PaymentWindow, Presence, SchemaField, SuccessRule, WindowMode, check_value};
pub use unknown::{UnknownResponse, WithPg};
pub use value::{
    Amount, CivilDateTime, Currency, CustomData, EmbPgProvider, Flag, Integer, KeptValue,
    PayMethod, Status, Timestamp,
};
pub use webhook::Webhook;
