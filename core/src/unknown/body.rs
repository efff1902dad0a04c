//! The keys and values of a response kept whole, read from JSON text without
//! decoding them: the text is copied once and each entry is a pair of
//! spans into it; the map of decoded keys and values is built on first use.
//!
//! Most bodies of an unknown PG are only asked for their ids, their PG and
//! their claim, which read a few entries in place; building 25 owned keys and
//! values up front would cost more than the rest of the dispatch.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, ErrorKind};
use crate::parse::ctx::{ReadError, read_str, read_text};
use crate::value::KeptValue;
use crate::value::kept::json_string;

/// Every key and value of an object: as spans into its JSON text, or
/// already decoded (a redirect's query, an object read through serde).
#[derive(Clone)]
pub(super) enum Body {
    Text(Box<Spans>),
    Fields(BTreeMap<String, KeptValue>),
}

/// A JSON object's text and where each entry is in it.
#[derive(Clone)]
pub(super) struct Spans {
    text: Box<str>,
    entries: Vec<Entry>,
    /// Keys written with escapes, decoded.
    keys: Vec<Box<str>>,
    /// Arrays and objects, kept as read (their depth checked and their
    /// whitespace dropped).
    values: Vec<KeptValue>,
    /// A bit per class of the keys' fingerprints: a key whose bit is clear
    /// is absent without looking at the entries.
    classes: u128,
    fields: OnceLock<BTreeMap<String, KeptValue>>,
}

/// One entry: its key's fingerprint (compared before the key itself), its
/// key and its value.
#[derive(Clone, Copy)]
struct Entry {
    print: u32,
    key: Part,
    value: Part,
}

/// A key or value: a span of the text, or an index into the decoded keys
/// or the kept values.
#[derive(Clone, Copy)]
enum Part {
    Span(u32, u32),
    Kept(u32),
}

/// The filter bit of a fingerprint.
fn class(print: u32) -> u128 {
    1 << (print.wrapping_mul(0x9e37_79b1) >> 25)
}

/// Length and three bytes of a key: tells nearly all of an object's keys
/// apart without comparing them.
fn fingerprint(key: &str) -> u32 {
    let bytes = key.as_bytes();
    match (bytes.first(), bytes.last(), bytes.get(bytes.len() / 2)) {
        (Some(&first), Some(&last), Some(&middle)) => {
            (bytes.len() as u32 & 0xff)
                | u32::from(first) << 8
                | u32::from(middle) << 16
                | u32::from(last) << 24
        }
        _ => 0,
    }
}

/// The JSON text of one value.
pub(super) enum Json<'a> {
    /// The text as received.
    Raw(&'a str),
    /// A decoded value.
    Kept(&'a KeptValue),
}

impl Json<'_> {
    /// Whether the value is JSON `null`.
    pub(super) fn is_null(&self) -> bool {
        match self {
            Json::Raw(raw) => *raw == "null",
            Json::Kept(kept) => kept.is_null(),
        }
    }

    /// The JSON type's name, as [`KeptValue::json_type`] gives it.
    pub(super) fn json_type(&self) -> &'static str {
        match self {
            Json::Raw(raw) => match raw.as_bytes().first() {
                Some(b'"') => "string",
                Some(b'n') => "null",
                Some(b't' | b'f') => "boolean",
                Some(b'[') => "array",
                Some(b'{') => "object",
                _ => "number",
            },
            Json::Kept(kept) => kept.json_type(),
        }
    }

    /// Reads the value into `T` from its exact text.
    pub(super) fn decode<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        match self {
            Json::Raw(raw) => serde_json::from_str(raw).ok(),
            Json::Kept(kept) => kept.decode().ok(),
        }
    }
}

impl Body {
    /// Reads a JSON object, refusing a key given twice.
    pub(super) fn read(json: &[u8]) -> Result<Self, Error> {
        let duplicate = std::cell::RefCell::new(None);
        let spans =
            read_text(json, |text, reader| read_spans(text, reader, &duplicate)).map_err(|e| {
                match e {
                    ReadError::Json(e) => json_error(&e, duplicate.take()),
                    ReadError::NotUtf8(error) => error,
                }
            })?;
        Ok(Body::Text(Box::new(spans)))
    }

    /// [`read`](Self::read), for text already known to be UTF-8.
    pub(super) fn read_str(text: &str) -> Result<Self, Error> {
        let duplicate = std::cell::RefCell::new(None);
        let spans = read_str(text, |text, reader| read_spans(text, reader, &duplicate))
            .map_err(|e| json_error(&e, duplicate.take()))?;
        Ok(Body::Text(Box::new(spans)))
    }

    /// Every key and value, decoded.
    pub(super) fn fields(&self) -> &BTreeMap<String, KeptValue> {
        match self {
            Body::Text(spans) => spans.fields.get_or_init(|| spans.decode()),
            Body::Fields(fields) => fields,
        }
    }

    /// Every key and value, decoded and owned.
    pub(super) fn into_fields(self) -> BTreeMap<String, KeptValue> {
        match self {
            Body::Text(spans) => {
                let mut spans = *spans;
                match spans.fields.take() {
                    Some(fields) => fields,
                    None => spans.decode(),
                }
            }
            Body::Fields(fields) => fields,
        }
    }

    /// The JSON text of `key`'s value, without decoding the object.
    pub(super) fn json(&self, key: &str) -> Option<Json<'_>> {
        match self {
            Body::Text(spans) => spans.json(key),
            Body::Fields(fields) => fields.get(key).map(Json::Kept),
        }
    }

    /// `key`'s value if it is a string, borrowed from the text when it was
    /// written without escapes.
    pub(super) fn str(&self, key: &str) -> Option<&str> {
        match self.json(key)? {
            Json::Raw(raw) if raw.starts_with('"') => match json_string(raw) {
                Ok(Cow::Borrowed(text)) => Some(text),
                // Escaped: the decoded map holds it.
                _ => self.fields().get(key).and_then(KeptValue::as_str),
            },
            Json::Raw(_) => None,
            Json::Kept(kept) => kept.as_str(),
        }
    }
}

fn read_spans<'de>(
    text: &'de str,
    reader: &mut crate::parse::ctx::TextDeserializer<'de>,
    duplicate: &std::cell::RefCell<Option<String>>,
) -> Result<Spans, serde_json::Error> {
    let visitor = SpansVisitor { text, duplicate };
    serde::Deserializer::deserialize_map(reader, visitor)
}

/// The error for an object that did not read; `duplicate` is the key given
/// twice, if that was why.
fn json_error(e: &serde_json::Error, duplicate: Option<String>) -> Error {
    match duplicate {
        Some(key) => Error::from_json(e, ErrorKind::DuplicateField).with_field(key),
        None => Error::from_json(e, ErrorKind::NotAnObject),
    }
}

impl Spans {
    fn part(&self, part: Part) -> Option<Json<'_>> {
        Some(match part {
            Part::Span(start, end) => Json::Raw(span(&self.text, start, end)),
            Part::Kept(index) => Json::Kept(self.values.get(index as usize)?),
        })
    }

    fn key(&self, entry: &Entry) -> &str {
        match entry.key {
            Part::Span(start, end) => span(&self.text, start, end),
            Part::Kept(index) => self.keys.get(index as usize).map_or("", |key| key),
        }
    }

    fn find(&self, key: &str) -> Option<&Entry> {
        let print = fingerprint(key);
        if self.classes & class(print) == 0 {
            return None;
        }
        self.entries
            .iter()
            .find(|entry| entry.print == print && self.key(entry) == key)
    }

    fn json(&self, key: &str) -> Option<Json<'_>> {
        self.part(self.find(key)?.value)
    }

    fn decode(&self) -> BTreeMap<String, KeptValue> {
        self.entries
            .iter()
            .map(|entry| {
                let value = match self.part(entry.value) {
                    Some(Json::Raw(raw)) => KeptValue::from_scalar(raw),
                    Some(Json::Kept(kept)) => kept.clone(),
                    None => KeptValue::from_scalar("null"),
                };
                (self.key(entry).to_owned(), value)
            })
            .collect()
    }
}

fn span(text: &str, start: u32, end: u32) -> &str {
    text.get(start as usize..end as usize).unwrap_or_default()
}

/// Reads an object's entries as spans into `text`, refusing a key given
/// twice (serde_json's own map would keep the last).
struct SpansVisitor<'t, 'd> {
    text: &'t str,
    duplicate: &'d std::cell::RefCell<Option<String>>,
}

impl SpansVisitor<'_, '_> {
    /// The span of `part`, if it is a slice of the text being read.
    fn span(&self, part: &str) -> Option<(u32, u32)> {
        let start = (part.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        let end = start.checked_add(part.len())?;
        if end > self.text.len() {
            return None;
        }
        Some((u32::try_from(start).ok()?, u32::try_from(end).ok()?))
    }
}

impl<'de> Visitor<'de> for SpansVisitor<'de, '_> {
    type Value = Spans;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Spans, A::Error> {
        let mut spans = Spans {
            text: Box::default(),
            entries: Vec::with_capacity(32),
            keys: Vec::new(),
            values: Vec::new(),
            classes: 0,
            fields: OnceLock::new(),
        };
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let print = fingerprint(&key);
            let bit = class(print);
            // A key whose class is new is new without comparing it.
            if spans.classes & bit != 0 {
                let seen = spans.entries.iter().any(|entry| {
                    entry.print == print && key_in(self.text, &spans.keys, entry) == &*key
                });
                if seen {
                    *self.duplicate.borrow_mut() = Some(key.into_owned());
                    return Err(de::Error::custom("duplicate field: received twice"));
                }
            }
            spans.classes |= bit;
            let raw: &'de RawValue = map.next_value()?;
            let raw = raw.get();
            let value = match (raw.as_bytes().first(), self.span(raw)) {
                (Some(b'[' | b'{'), _) | (_, None) => {
                    let kept = if matches!(raw.as_bytes().first(), Some(b'[' | b'{')) {
                        KeptValue::from_raw(raw).map_err(de::Error::custom)?
                    } else {
                        KeptValue::from_scalar(raw)
                    };
                    spans.values.push(kept);
                    Part::Kept(index(spans.values.len())?)
                }
                (_, Some((start, end))) => Part::Span(start, end),
            };
            let key = match self.span(&key) {
                Some((start, end)) if matches!(key, Cow::Borrowed(_)) => Part::Span(start, end),
                _ => {
                    spans.keys.push(key.into_owned().into());
                    Part::Kept(index(spans.keys.len())?)
                }
            };
            spans.entries.push(Entry { print, key, value });
        }
        spans.text = self.text.into();
        Ok(spans)
    }
}

/// The index of the last of `len` items.
fn index<E: de::Error>(len: usize) -> Result<u32, E> {
    u32::try_from(len - 1).map_err(|_| E::custom("too many keys"))
}

/// An entry's key while the object is being read.
fn key_in<'a>(text: &'a str, keys: &'a [Box<str>], entry: &Entry) -> &'a str {
    match entry.key {
        Part::Span(start, end) => span(text, start, end),
        Part::Kept(index) => keys.get(index as usize).map_or("", |key| key),
    }
}

/// A key, borrowed from the text when it was written without escapes.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}
