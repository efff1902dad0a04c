//! Writing a generated type back: its present entries in schema order, then
//! the keys it keeps in `extra`, through one generic routine.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, Serializer};

use crate::schema::SchemaField;
use crate::value::{Entry, KeptValue};

/// Writes a generated type: the present properties of its `schema` table,
/// read by `entry_at` (the type's one `match`, a branch per property,
/// rather than an array of every entry built per call), then the keys it
/// keeps in `extra`.
pub fn serialize_object<'a, S: Serializer>(
    serializer: S,
    schema: &[SchemaField],
    entry_at: &'a dyn Fn(usize) -> Entry<'a>,
    extra: &BTreeMap<String, KeptValue>,
) -> Result<S::Ok, S::Error> {
    let present = (0..schema.len())
        .map(|index| (schema[index].name, entry_at(index)))
        .filter(|(_, entry)| !matches!(entry, Entry::Absent));
    let mut map = serializer.serialize_map(Some(present.clone().count() + extra.len()))?;
    for (key, value) in present {
        map.serialize_entry(key, &value)?;
    }
    for (key, value) in extra {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Object<'a>(&'a [Entry<'a>], &'a BTreeMap<String, KeptValue>);

    impl serde::Serialize for Object<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let schema = SCHEMA.map(|name| SchemaField {
                name,
                presence: crate::schema::Presence::Optional,
                personal: false,
            });
            let entry_at = |index: usize| self.0.get(index).copied().unwrap_or(Entry::Absent);
            serialize_object(s, &schema, &entry_at, self.1)
        }
    }

    const SCHEMA: [&str; 6] = [
        "imp_uid",
        "error_code",
        "success",
        "paid_amount",
        "card_quota",
        "paid_at",
    ];

    #[test]
    fn present_entries_in_order_then_extra() {
        let amount: crate::Amount = "10.50".parse().unwrap();
        let mut extra = BTreeMap::new();
        extra.insert(
            "z".to_owned(),
            KeptValue::from_json("123456789012345678901").unwrap(),
        );
        let entries = [
            Entry::Str("imp_1"),
            Entry::Absent,
            Entry::Bool(true),
            Entry::Number(&amount),
            Entry::Text(&3),
            Entry::I64(0),
        ];
        let json = serde_json::to_string(&Object(&entries, &extra)).unwrap();
        assert_eq!(
            json,
            r#"{"imp_uid":"imp_1","success":true,"paid_amount":10.50,"card_quota":"3","paid_at":0,"z":123456789012345678901}"#
        );
    }
}
