//! Conversions into the types applications store, each behind its own
//! feature: `rust_decimal` for [`Amount`](crate::Amount), and `chrono`,
//! `time`, `jiff` for [`Timestamp`](crate::Timestamp) and
//! [`CivilDateTime`](crate::CivilDateTime).
//!
//! They convert, never replace: portone-pg keeps what it received, and a
//! conversion that cannot be exact is an error (an amount beyond
//! `Decimal`'s 96-bit mantissa or 28 places, a timestamp of `0` — "has not
//! happened" — or one out of the target's range). A wall-clock text
//! (`"2017-01-19 23:59:59"`, as KG Inicis sends `vbank_date`) is Korea time,
//! UTC+9.

#[cfg(feature = "chrono")]
mod chrono;
#[cfg(feature = "jiff")]
mod jiff;
#[cfg(feature = "rust_decimal")]
mod rust_decimal;
#[cfg(feature = "time")]
mod time;

#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
use crate::{Error, ErrorKind};

/// Korea Standard Time, in seconds east of UTC.
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
const KST: i32 = 9 * 3600;

/// The instant of a timestamp, or why there is none.
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
fn instant(timestamp: &crate::Timestamp, target: &str) -> Result<i64, Error> {
    timestamp.unix_seconds().ok_or_else(|| {
        Error::new(
            ErrorKind::InvalidValue,
            format!("timestamp 0 means the event has not happened: no {target}"),
        )
    })
}

/// A value out of the target type's range.
#[cfg(any(feature = "chrono", feature = "time", feature = "jiff"))]
fn out_of_range(value: impl std::fmt::Display, target: &str) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!("{value} is out of the range of {target}"),
    )
}
