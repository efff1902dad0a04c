//! `Debug` forms that show what is there, never personal data.

use std::collections::BTreeMap;
use std::fmt;

use crate::schema::SchemaField;
use crate::value::{Entry, KeptValue};

/// The `Debug` form of a generated type: each property of its `schema`
/// table, read by `entry_at` (the type's one `match`), as the entry it is
/// written as (personal data as [`Redacted`]), then the kept keys.
pub fn debug_object<'a>(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    schema: &[SchemaField],
    entry_at: &'a dyn Fn(usize) -> Entry<'a>,
    extra: &BTreeMap<String, KeptValue>,
) -> fmt::Result {
    let mut out = f.debug_struct(name);
    for (index, field) in schema.iter().enumerate() {
        let entry = entry_at(index);
        if field.personal {
            out.field(field.name, &Redacted(!matches!(entry, Entry::Absent)));
        } else {
            out.field(field.name, &entry);
        }
    }
    out.field("extra", &RedactedMap(extra)).finish()
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_presence_and_json_types_never_values() {
        assert_eq!(format!("{:?}", Redacted(true)), "<redacted>");
        assert_eq!(format!("{:?}", Redacted(false)), "None");
        let mut map = BTreeMap::new();
        for (key, json) in [
            ("a", r#""Hong Gildong""#),
            ("b", "1004"),
            ("c", "null"),
            ("d", "[1]"),
            ("e", r#"{"x":"secret"}"#),
            ("f", "true"),
        ] {
            map.insert(key.to_owned(), KeptValue::from_json(json).unwrap());
        }
        let debug = format!("{:?}", RedactedMap(&map));
        assert_eq!(
            debug,
            r#"{"a": <string>, "b": <number>, "c": null, "d": <array>, "e": <object>, "f": <boolean>}"#
        );
    }
}
