//! How a value is written back: each property type says, through
//! [`AsEntry`], which JSON form it takes — the form it was received in — and
//! one generic routine writes that form.
//!
//! A `Serialize` impl is generic over the serializer, so a per-field
//! `serialize_entry` chain in every generated type is type-checked, stored
//! in metadata and instantiated once per type; with ~90 generated types that
//! was a quarter of the facade's build. An entry is a closed set of JSON
//! forms, not of types: the per-type code stays non-generic, the generic
//! code is here once, and a new property type adds no variant.

use std::fmt;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::kept::{KeptValue, RAW_VALUE_TOKEN};

/// One property's value, borrowed, as the JSON it is written as.
#[derive(Clone, Copy)]
pub enum Entry<'a> {
    /// Not present: not written.
    Absent,
    /// A JSON string.
    Str(&'a str),
    /// A JSON string, written from the value's `Display`.
    Text(&'a dyn fmt::Display),
    /// A JSON boolean.
    Bool(bool),
    /// A JSON number.
    I64(i64),
    /// A JSON number too large for `i64`.
    I128(i128),
    /// A JSON number, written digit for digit from the value's `Display`.
    Number(&'a dyn fmt::Display),
    /// A kept value, written as received.
    Kept(&'a KeptValue),
}

impl Serialize for Entry<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match *self {
            Entry::Absent => serializer.serialize_none(),
            Entry::Str(text) => serializer.serialize_str(text),
            Entry::Text(value) => serializer.collect_str(value),
            Entry::Bool(value) => serializer.serialize_bool(value),
            Entry::I64(value) => serializer.serialize_i64(value),
            Entry::I128(value) => serializer.serialize_i128(value),
            // serde_json (and its `to_value`) write a struct of this name as
            // the raw text it holds, where an f64 would round.
            Entry::Number(value) => {
                let mut s = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
                s.serialize_field(RAW_VALUE_TOKEN, &value.to_string())?;
                s.end()
            }
            Entry::Kept(value) => value.serialize(serializer),
        }
    }
}

/// As the JSON it is written as (`None` when absent).
impl fmt::Debug for Entry<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Entry::Absent => f.write_str("None"),
            Entry::Str(text) => fmt::Debug::fmt(text, f),
            Entry::Text(value) => write!(f, "\"{value}\""),
            Entry::Bool(value) => fmt::Debug::fmt(&value, f),
            Entry::I64(value) => fmt::Debug::fmt(&value, f),
            Entry::I128(value) => fmt::Debug::fmt(&value, f),
            Entry::Number(value) => write!(f, "{value}"),
            Entry::Kept(value) => fmt::Debug::fmt(value, f),
        }
    }
}

/// A property type, as the JSON entry it is written as.
pub trait AsEntry {
    /// The value as an entry.
    fn entry(&self) -> Entry<'_>;
}

impl<T: AsEntry> AsEntry for Option<T> {
    // Compiled once per property type and called from each generated
    // `entry_at` arm, rather than copied into every arm of ~90 types.
    #[inline(never)]
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

impl AsEntry for KeptValue {
    #[inline]
    fn entry(&self) -> Entry<'_> {
        Entry::Kept(self)
    }
}
