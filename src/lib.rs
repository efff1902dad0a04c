#![doc = include_str!("../README.md")]
#![deny(missing_docs)]

extern crate self as portone_pg;

pub use portone_pg_core::{query, rest};

/// The V1 REST client (feature `client`): tokens, `confirm`, `prepare`,
/// safe cancels. See [`client::Client`].
#[cfg(feature = "client")]
pub use portone_pg_client as client;

#[cfg(any(feature = "axum", feature = "actix-web"))]
pub mod extract;
pub use portone_pg_core::{
    Amount, CivilDateTime, Currency, CustomData, EmbPgProvider, Error, ErrorKind, Flag, Integer,
    KeptValue, Outcome, PayMethod, Position, Presence, RedirectResult, SchemaField, Status,
    Timestamp, UnknownResponse, Webhook, WithPg,
};

#[doc(hidden)]
pub use portone_pg_core::__private;

#[doc(hidden)]
pub use portone_pg_macros::schemas;

portone_pg_macros::schemas!(dir = "schemas");
