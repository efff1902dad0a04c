//! What the generated code knows about the catalogue and one PG: the PG's
//! table of accepted fields, the key lookup, and the set of fields seen.

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

use crate::value::FieldValue;

/// What the generated code knows about one PG at run time.
#[derive(Debug)]
pub struct PgTable {
    /// The `pg_provider` code.
    pub code: &'static str,
    /// Other spellings of the code that name this PG too.
    pub aliases: &'static [&'static str],
    /// Bit `i` is set when the PG lists catalogue field `i`.
    pub accepts: &'static [u64],
}

impl PgTable {
    /// Whether `code` names this PG.
    pub fn is_named(&self, code: &str) -> bool {
        code == self.code || self.aliases.contains(&code)
    }

    /// Whether the PG lists catalogue field `id`.
    #[inline]
    pub fn accepts(&self, id: u16) -> bool {
        let id = usize::from(id);
        self.accepts
            .get(id / 64)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }
}

/// A top-level key: a catalogue field (its id, the exact name matched, and
/// whether that name is one of the field's aliases) or any other key.
pub enum Key {
    /// Catalogue field `id`, received under `name` (an alias if the flag says so).
    Known(u16, &'static str, bool),
    /// A key the catalogue does not know.
    Unknown(String),
}

/// Reads a key and looks it up in the catalogue (`F`, the generated lookup,
/// called directly so that it can be inlined) without allocating for known
/// keys.
pub struct KeySeed<F>(pub F);

impl<F: FnOnce(&str) -> Option<(u16, &'static str, bool)>> KeySeed<F> {
    /// The key `v`. Apart from `visit_str`, which is compiled once per
    /// reader's error type, so that the lookup is compiled (and inlined)
    /// once.
    fn key(self, v: &str) -> Key {
        match (self.0)(v) {
            Some((id, name, alias)) => Key::Known(id, name, alias),
            None => Key::Unknown(v.to_owned()),
        }
    }
}

impl<'de, F: FnOnce(&str) -> Option<(u16, &'static str, bool)>> DeserializeSeed<'de>
    for KeySeed<F>
{
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl<F: FnOnce(&str) -> Option<(u16, &'static str, bool)>> Visitor<'_> for KeySeed<F> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(self.key(v))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match (self.0)(&v) {
            Some((id, name, alias)) => Key::Known(id, name, alias),
            None => Key::Unknown(v),
        })
    }
}

/// A property value read through [`FieldValue`]: `None` for `null` and `"null"`.
pub struct Property<T>(pub Option<T>);

impl<'de, T: FieldValue> de::Deserialize<'de> for Property<T> {
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_field(d).map(Property)
    }
}

/// Which catalogue fields have been seen, to refuse duplicates (including a
/// field received under two of its names).
pub struct Seen<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> Seen<WORDS> {
    /// Nothing seen yet.
    pub fn new() -> Self {
        Seen([0; WORDS])
    }

    /// Marks `id` seen; `false` if it already was.
    #[inline]
    pub fn insert(&mut self, id: u16) -> bool {
        let id = usize::from(id);
        let (word, bit) = (id / 64, 1u64 << (id % 64));
        match self.0.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            _ => false,
        }
    }

    /// Whether `id` was seen.
    #[inline]
    pub fn contains(&self, id: u16) -> bool {
        let id = usize::from(id);
        self.0
            .get(id / 64)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }

    /// Whether every id seen is set in `accepts`.
    #[inline]
    pub fn is_within(&self, accepts: &[u64]) -> bool {
        self.0
            .iter()
            .enumerate()
            .all(|(i, word)| word & !accepts.get(i).copied().unwrap_or(0) == 0)
    }
}

impl<const WORDS: usize> Default for Seen<WORDS> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static TABLE: PgTable = PgTable {
        code: "kcp",
        aliases: &["kcp_alias"],
        // Fields 0, 2 and 65 (the second word).
        accepts: &[0b101, 0b10],
    };

    #[test]
    fn a_table_names_its_pg_and_its_fields() {
        assert!(TABLE.is_named("kcp") && TABLE.is_named("kcp_alias"));
        assert!(!TABLE.is_named("nice"));
        let accepted: Vec<u16> = (0..200).filter(|&id| TABLE.accepts(id)).collect();
        assert_eq!(accepted, [0, 2, 65]);
    }

    #[test]
    fn seen_refuses_a_second_insert_and_checks_a_table() {
        let mut seen = Seen::<2>::new();
        assert!(seen.insert(2) && seen.insert(65));
        assert!(!seen.insert(2));
        assert!(seen.contains(65) && !seen.contains(0));
        assert!(seen.is_within(TABLE.accepts));
        assert!(seen.insert(1));
        assert!(!seen.is_within(TABLE.accepts));
        // An id past the set's words is never "new": it cannot be tracked.
        assert!(!seen.insert(128));
        assert!(!seen.contains(128));
    }

    #[test]
    fn keys_are_looked_up_without_copying_known_ones() {
        fn lookup(key: &str) -> Option<(u16, &'static str, bool)> {
            match key {
                "imp_uid" => Some((0, "imp_uid", false)),
                "txId" => Some((0, "txId", true)),
                _ => None,
            }
        }
        let read =
            |json: &str| KeySeed(lookup).deserialize(&mut serde_json::Deserializer::from_str(json));
        assert!(matches!(read(r#""txId""#), Ok(Key::Known(0, "txId", true))));
        assert!(matches!(
            read(r#""imp\u005fuid""#),
            Ok(Key::Known(0, "imp_uid", false))
        ));
        assert!(matches!(read(r#""other""#), Ok(Key::Unknown(key)) if key == "other"));
        assert!(read("1").is_err());
    }

    #[test]
    fn a_property_reads_both_null_forms_as_none() {
        for json in ["null", r#""null""#] {
            let Property(value) = serde_json::from_str::<Property<String>>(json).unwrap();
            assert_eq!(value, None);
        }
        let Property(value) = serde_json::from_str::<Property<String>>(r#""x""#).unwrap();
        assert_eq!(value.as_deref(), Some("x"));
    }
}
