//! Writing a generated type back: its present entries in schema order, then
//! the keys it keeps in `extra`, through one generic routine.

use std::collections::BTreeMap;

use serde::ser::{SerializeMap, Serializer};

use crate::value::{Entry, KeptValue};

/// Writes a generated type: its present entries in schema order, then the
/// keys it keeps in `extra`.
pub fn serialize_object<S: Serializer>(
    serializer: S,
    entries: &[(&'static str, Entry<'_>)],
    extra: &BTreeMap<String, KeptValue>,
) -> Result<S::Ok, S::Error> {
    let present = entries.iter().filter(|(_, e)| !matches!(e, Entry::Absent));
    let mut map = serializer.serialize_map(Some(present.clone().count() + extra.len()))?;
    for (key, value) in present {
        map.serialize_entry(key, value)?;
    }
    for (key, value) in extra {
        map.serialize_entry(key, value)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Object<'a>(
        &'a [(&'static str, Entry<'a>)],
        &'a BTreeMap<String, KeptValue>,
    );

    impl serde::Serialize for Object<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            serialize_object(s, self.0, self.1)
        }
    }

    #[test]
    fn present_entries_in_order_then_extra() {
        let amount: crate::Amount = "10.50".parse().unwrap();
        let mut extra = BTreeMap::new();
        extra.insert(
            "z".to_owned(),
            KeptValue::from_json("123456789012345678901").unwrap(),
        );
        let entries = [
            ("imp_uid", Entry::Str("imp_1")),
            ("error_code", Entry::Absent),
            ("success", Entry::Bool(true)),
            ("paid_amount", Entry::Number(&amount)),
            ("card_quota", Entry::Text(&3)),
            ("paid_at", Entry::I64(0)),
        ];
        let json = serde_json::to_string(&Object(&entries, &extra)).unwrap();
        assert_eq!(
            json,
            r#"{"imp_uid":"imp_1","success":true,"paid_amount":10.50,"card_quota":"3","paid_at":0,"z":123456789012345678901}"#
        );
    }
}
