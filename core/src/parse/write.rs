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
