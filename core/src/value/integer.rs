//! Whole numbers that may arrive as strings (`card_quota`).

use std::fmt;

use super::{AsEntry, Entry, Received, lenient_scalar, lenient_value};
use serde::de::{self, Unexpected, Visitor};

/// A whole-number property such as `card_quota` (installment months, `0` = lump sum).
///
/// Accepts a JSON integer or a string of digits (`"3"`), keeps the form it
/// arrived in for serialization, and compares by value. Fractions are refused.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Integer;
///
/// let quota: Integer = serde_json::from_str(r#""3""#)?;
/// assert_eq!(quota.get(), 3);
/// assert_eq!(quota, 3);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Integer {
    value: i64,
    received: Received,
}

lenient_scalar!(Integer, i64);

impl AsEntry for Integer {
    #[inline]
    fn entry(&self) -> Entry<'_> {
        match self.received {
            Received::Native => Entry::I64(self.value),
            Received::Text => Entry::Text(&self.value),
        }
    }
}

lenient_value!(Integer, IntegerVisitor);

struct IntegerVisitor;

/// Parses `-?[0-9]+` into an `i64`; `None` for anything else or on overflow.
pub(crate) fn parse_i64(text: &str) -> Option<i64> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl Visitor<'_> for IntegerVisitor {
    type Value = Integer;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a whole number or a string of digits")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Integer, E> {
        Ok(Integer::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Integer, E> {
        i64::try_from(v)
            .map(Integer::from)
            .map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Integer, E> {
        let value = parse_i64(v).ok_or_else(|| E::invalid_value(Unexpected::Str(v), &self))?;
        Ok(Integer {
            value,
            received: Received::Text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_integers_and_digit_strings() {
        for (json, value) in [("0", 0), ("12", 12), (r#""3""#, 3), (r#""-1""#, -1)] {
            let n: Integer = serde_json::from_str(json).unwrap();
            assert_eq!(n.get(), value);
            assert_eq!(serde_json::to_string(&n).unwrap(), json);
        }
        for bad in [
            "1.5",
            r#""1.5""#,
            r#""""#,
            r#""3 ""#,
            "true",
            "18446744073709551615",
            r#""99999999999999999999""#,
        ] {
            assert!(serde_json::from_str::<Integer>(bad).is_err(), "{bad}");
        }
    }
}
