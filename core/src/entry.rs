//! How the generated types serialize: each type lists its properties as a
//! table of [`Entry`] values and one shared routine writes the map.
//!
//! A `Serialize` impl is generic over the serializer, so a per-field
//! `serialize_entry` chain in every generated type is type-checked, stored
//! in metadata and instantiated once per type; with ~90 generated types that
//! was a quarter of the facade's build. The table keeps the per-type code
//! non-generic and the generic code in one place.

use serde::ser::{Serialize, SerializeMap, Serializer};
use std::collections::BTreeMap;

use crate::{Amount, CustomData, Flag, Integer, KeptValue, Timestamp};

/// One property's value, borrowed, as one of the runtime types.
#[derive(Clone, Copy)]
pub enum Entry<'a> {
    /// Not present: not written.
    Absent,
    /// A string property.
    Str(&'a str),
    /// An open code enum, written as its code.
    Code(&'a str),
    /// A flag (written as received).
    Flag(&'a Flag),
    /// An amount (written as received).
    Amount(&'a Amount),
    /// An integer (written as received).
    Integer(&'a Integer),
    /// A timestamp (written as received).
    Timestamp(&'a Timestamp),
    /// Custom data (written as received).
    CustomData(&'a CustomData),
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Entry::Absent => serializer.serialize_none(),
            Entry::Str(text) | Entry::Code(text) => serializer.serialize_str(text),
            Entry::Flag(v) => v.serialize(serializer),
            Entry::Amount(v) => v.serialize(serializer),
            Entry::Integer(v) => v.serialize(serializer),
            Entry::Timestamp(v) => v.serialize(serializer),
            Entry::CustomData(v) => v.serialize(serializer),
        }
    }
}

/// A property type that can be listed as an [`Entry`].
pub trait AsEntry {
    /// The value as an entry.
    fn entry(&self) -> Entry<'_>;
}

impl<T: AsEntry> AsEntry for Option<T> {
    #[inline]
    fn entry(&self) -> Entry<'_> {
        self.as_ref().map_or(Entry::Absent, AsEntry::entry)
    }
}

impl AsEntry for String {
    #[inline]
    fn entry(&self) -> Entry<'_> {
        Entry::Str(self)
    }
}

macro_rules! as_entry {
    ($($ty:ident),*) => {$(
        impl AsEntry for $ty {
            #[inline]
            fn entry(&self) -> Entry<'_> {
                Entry::$ty(self)
            }
        }
    )*};
}

as_entry!(Flag, Amount, Integer, Timestamp, CustomData);

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
