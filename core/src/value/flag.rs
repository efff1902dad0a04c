//! The success flag, which arrives as a boolean or as the string "true"/"false".

use std::fmt;

use super::{AsEntry, Entry, Received, lenient_scalar, lenient_value};
use serde::de::{self, Unexpected, Visitor};

/// A boolean property such as `success` / `imp_success`.
///
/// JavaScript callbacks send a JSON boolean; redirect query strings, Flutter
/// and some mobile SDKs send the strings `"true"` / `"false"`. `Flag` accepts
/// both, compares by value, and serializes back in the form it arrived in.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Flag;
///
/// let from_js: Flag = serde_json::from_str("true")?;
/// let from_redirect: Flag = serde_json::from_str(r#""true""#)?;
/// assert!(from_js.get() && from_redirect.get());
/// assert_eq!(from_js, from_redirect);
/// assert_eq!(serde_json::to_string(&from_redirect)?, r#""true""#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy)]
pub struct Flag {
    value: bool,
    received: Received,
}

lenient_scalar!(Flag, bool);

impl AsEntry for Flag {
    #[inline]
    fn entry(&self) -> Entry<'_> {
        match self.received {
            Received::Native => Entry::Bool(self.value),
            Received::Text => Entry::Str(if self.value { "true" } else { "false" }),
        }
    }
}

lenient_value!(Flag, FlagVisitor);

struct FlagVisitor;

impl Visitor<'_> for FlagVisitor {
    type Value = Flag;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a boolean or the string \"true\" or \"false\"")
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Flag, E> {
        Ok(Flag::from(value))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Flag, E> {
        let value = match v {
            "true" => true,
            "false" => false,
            _ => return Err(E::invalid_value(Unexpected::Str(v), &self)),
        };
        Ok(Flag {
            value,
            received: Received::Text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_booleans_and_their_strings_only() {
        for (json, value) in [
            ("true", true),
            ("false", false),
            (r#""true""#, true),
            (r#""false""#, false),
        ] {
            let flag: Flag = serde_json::from_str(json).unwrap();
            assert_eq!(flag.get(), value);
            assert_eq!(serde_json::to_string(&flag).unwrap(), json);
        }
        for bad in [
            r#""TRUE""#,
            r#""1""#,
            "1",
            "0",
            r#""""#,
            r#""yes""#,
            "[]",
            "{}",
        ] {
            let err = serde_json::from_str::<Flag>(bad).unwrap_err().to_string();
            assert!(
                err.contains("expected a boolean or the string \"true\" or \"false\""),
                "{bad}: {err}"
            );
        }
    }
}
