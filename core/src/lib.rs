//! Runtime types of [portone-pg]: exact amounts, lenient flags and
//! timestamps, open code enums, the claimed [`Outcome`], the [`Error`] type,
//! and the dispatch helpers the generated per-PG types use.
//!
//! Depend on `portone-pg`, which re-exports everything here; this crate exists
//! so that the runtime types compile independently of the schema macro.
//!
//! [portone-pg]: https://docs.rs/portone-pg

#![deny(missing_docs)]

mod amount;
mod codes;
mod custom_data;
mod entry;
mod error;
mod field;
mod flag;
mod integer;
mod kept;
mod object;
mod outcome;
mod query;
mod redirect;
pub mod rest;
mod scan;
mod timestamp;
mod unknown;
mod webhook;
mod wire;

#[doc(hidden)]
pub mod __private;

pub use amount::Amount;
pub use codes::{Currency, EmbPgProvider, PayMethod, Status};
pub use custom_data::CustomData;
pub use error::{Error, ErrorKind, Position};
pub use flag::Flag;
pub use integer::Integer;
pub use kept::KeptValue;
pub use outcome::Outcome;
pub use redirect::RedirectResult;
pub use timestamp::{CivilDateTime, Timestamp};
pub use unknown::UnknownResponse;
pub use webhook::Webhook;
