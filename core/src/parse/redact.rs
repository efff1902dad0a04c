//! `Debug` forms that show what is there, never personal data.

use std::collections::BTreeMap;
use std::fmt;

use crate::value::KeptValue;

/// The `Debug` form of a personal-data property: whether it is there, never
/// what it is.
pub struct Redacted(pub bool);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "<redacted>" } else { "None" })
    }
}

/// The `Debug` form of keys kept as received (`extra`, unknown responses):
/// each key with the JSON type of its value, never the value. Such a key may
/// be a personal-data property the PG was not expected to send, or one no
/// schema knows yet; `Serialize` and the maps themselves still hold the
/// values.
pub struct RedactedMap<'a>(pub &'a BTreeMap<String, KeptValue>);

impl fmt::Debug for RedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(key, value)| (key, JsonType(value))))
            .finish()
    }
}

struct JsonType<'a>(&'a KeptValue);

impl fmt::Debug for JsonType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.json_type() {
            "null" => f.write_str("null"),
            other => write!(f, "<{other}>"),
        }
    }
}
