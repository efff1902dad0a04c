//! Values kept as received: the keys a schema does not list, `custom_data`,
//! a webhook's `extra`, unknown REST properties.
//!
//! `serde_json::Value` would round numbers through `f64` (a 21-digit id
//! comes back as `1.2345678901234568e+20`, `1e-400` as `0.0`), and the
//! feature that prevents it, `arbitrary_precision`, changes
//! `serde_json::Number` for every crate in the application. A [`KeptValue`]
//! keeps the received JSON text instead, through serde_json's raw-value
//! support, which changes nothing for anyone else.

use std::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::FieldValue;
use crate::error::{Error, ErrorKind};

/// serde_json's private marker for "the raw JSON text of this value" (its
/// `raw_value` feature, which portone-pg-core enables).
pub(crate) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

/// A JSON value kept exactly as received: numbers digit for digit, objects
/// and arrays as their text, strings decoded.
///
/// It is what portone-pg stores wherever it keeps a value it does not type:
/// the `extra` map of every generated type, [`UnknownResponse`], redirect
/// parameters, [`CustomData`], a webhook's `extra` and unknown REST
/// properties. Serializing with serde_json writes the received text back
/// unchanged. [`to_value`](Self::to_value) gives a `serde_json::Value` when
/// that is more convenient, and [`decode`](Self::decode) reads the exact
/// text into a type of your own.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::KeptValue;
///
/// let id: KeptValue = serde_json::from_str("123456789012345678901")?;
/// assert_eq!(id.json(), "123456789012345678901");
/// assert_eq!(serde_json::to_string(&id)?, "123456789012345678901");
/// assert_eq!(id.decode::<u128>()?, 123456789012345678901);
///
/// let name: KeptValue = serde_json::from_str(r#""당근 10kg""#)?;
/// assert_eq!(name.as_str(), Some("당근 10kg"));
/// assert_eq!(name.to_value()?, serde_json::json!("당근 10kg"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// [`UnknownResponse`]: crate::UnknownResponse
/// [`CustomData`]: crate::CustomData
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct KeptValue(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// A JSON string, decoded.
    Str(String),
    /// `null`, `true` or `false`: kept without an allocation.
    Literal(&'static str),
    /// Any other JSON value (a number, an array, an object), as its text.
    Json(Box<str>),
}

impl Repr {
    /// A value that is not a string, from its JSON text.
    fn json(text: &str) -> Self {
        match text {
            "null" => Repr::Literal("null"),
            "true" => Repr::Literal("true"),
            "false" => Repr::Literal("false"),
            text => Repr::Json(text.into()),
        }
    }

    /// The value as a decoded string or as JSON text.
    fn view(&self) -> View<'_> {
        match self {
            Repr::Str(text) => View::Str(text),
            Repr::Literal(text) => View::Json(text),
            Repr::Json(text) => View::Json(text),
        }
    }
}

/// A kept value, borrowed: a decoded string, or the JSON text of anything else.
enum View<'a> {
    Str(&'a str),
    Json(&'a str),
}

/// The text of a JSON string literal (`"a\"b"` → `a"b`), borrowed when it
/// has no escapes.
pub(crate) fn json_string(raw: &str) -> Result<std::borrow::Cow<'_, str>, serde_json::Error> {
    match raw
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
    {
        Some(inner) if !inner.contains('\\') => Ok(inner.into()),
        _ => serde_json::from_str::<String>(raw).map(Into::into),
    }
}

impl KeptValue {
    /// Parses one JSON value, keeping its text.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Syntax`] when `json` is not exactly one JSON value.
    pub fn from_json(json: &str) -> Result<Self, Error> {
        serde_json::from_str(json).map_err(|e| Error::from_json(&e, ErrorKind::Syntax))
    }

    /// Keeps the raw JSON text of a string, number or literal serde_json
    /// has delimited (so its string escapes are valid).
    pub(crate) fn from_scalar(raw: &str) -> Self {
        match raw.as_bytes().first() {
            Some(b'"') => match json_string(raw) {
                Ok(text) => KeptValue(Repr::Str(text.into_owned())),
                // Not reached for delimited text; kept as received.
                Err(_) => KeptValue(Repr::Json(raw.into())),
            },
            _ => KeptValue(Repr::json(raw)),
        }
    }

    /// Keeps the raw JSON text of a value serde_json has delimited.
    ///
    /// serde_json skips a raw value without its recursion limit; the limit
    /// is applied here, so that a kept value can always be read again
    /// ([`to_value`](Self::to_value), [`decode`](Self::decode)).
    pub(crate) fn from_raw(raw: &str) -> Result<Self, String> {
        Ok(match raw.as_bytes().first() {
            Some(b'"') => KeptValue(Repr::Str(
                json_string(raw).map_err(|e| e.to_string())?.into_owned(),
            )),
            Some(b'[' | b'{') => match compact(raw, MAX_DEPTH) {
                Some(json) => KeptValue(Repr::Json(json)),
                None => {
                    return Err(format!(
                        "recursion limit exceeded: a kept value nests at most {MAX_DEPTH} levels"
                    ));
                }
            },
            _ => KeptValue(Repr::json(raw)),
        })
    }

    /// The text of a JSON string; `None` for any other value.
    pub fn as_str(&self) -> Option<&str> {
        match &self.0 {
            Repr::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The value as JSON text: numbers as received, digit for digit;
    /// objects and arrays as received without the whitespace between
    /// tokens; strings re-encoded.
    pub fn json(&self) -> std::borrow::Cow<'_, str> {
        match self.0.view() {
            View::Str(text) => serde_json::to_string(text).unwrap_or_default().into(),
            View::Json(raw) => raw.into(),
        }
    }

    /// Whether the value is JSON `null`.
    pub fn is_null(&self) -> bool {
        matches!(&self.0, Repr::Literal("null"))
    }

    /// The JSON type: `"null"`, `"boolean"`, `"number"`, `"string"`,
    /// `"array"` or `"object"`.
    pub fn json_type(&self) -> &'static str {
        match self.0.view() {
            View::Str(_) => "string",
            View::Json(raw) => match raw.as_bytes().first() {
                Some(b'n') => "null",
                Some(b't' | b'f') => "boolean",
                Some(b'[') => "array",
                Some(b'{') => "object",
                _ => "number",
            },
        }
    }

    /// The value as a `serde_json::Value`. Numbers are read as
    /// `serde_json::Number` reads them: integers beyond `u64`/`i64` and
    /// decimals with more digits than an `f64` holds are rounded there, so
    /// use [`json`](Self::json) or [`decode`](Self::decode) where every
    /// digit matters.
    ///
    /// # Errors
    ///
    /// A number outside the range of an `f64` (`1e400`), which a
    /// `serde_json::Value` cannot hold.
    pub fn to_value(&self) -> Result<serde_json::Value, serde_json::Error> {
        match self.0.view() {
            View::Str(text) => Ok(serde_json::Value::String(text.to_owned())),
            View::Json(raw) => serde_json::from_str(raw),
        }
    }

    /// Reads the value into `T` from its exact text (a string value as the
    /// JSON string it was).
    ///
    /// # Errors
    ///
    /// The value does not fit `T`.
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match self.0.view() {
            View::Str(text) => T::deserialize(text.into_deserializer()),
            View::Json(raw) => serde_json::from_str(raw),
        }
    }
}

/// serde_json's own recursion limit.
const MAX_DEPTH: usize = 128;

/// Checks the nesting of valid JSON text (at most `max` deep) and drops the
/// whitespace between tokens, so that two kept values are equal when their
/// JSON is: `{"a": 1}` and `{"a":1}`. Numbers and strings stay as received.
fn compact(json: &str, max: usize) -> Option<Box<str>> {
    let mut out = String::new();
    let mut copied = 0;
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for (at, b) in json.bytes().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return None;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b' ' | b'\n' | b'\r' | b'\t' => {
                out.push_str(&json[copied..at]);
                copied = at + 1;
            }
            _ => {}
        }
    }
    if copied == 0 {
        return Some(json.into());
    }
    out.push_str(&json[copied..]);
    Some(out.into())
}

impl From<String> for KeptValue {
    fn from(text: String) -> Self {
        KeptValue(Repr::Str(text))
    }
}

impl From<&str> for KeptValue {
    fn from(text: &str) -> Self {
        KeptValue(Repr::Str(text.to_owned()))
    }
}

impl From<&serde_json::Value> for KeptValue {
    fn from(value: &serde_json::Value) -> Self {
        match value {
            serde_json::Value::String(text) => KeptValue(Repr::Str(text.clone())),
            other => KeptValue(Repr::json(&other.to_string())),
        }
    }
}

impl From<serde_json::Value> for KeptValue {
    fn from(value: serde_json::Value) -> Self {
        match value {
            serde_json::Value::String(text) => KeptValue(Repr::Str(text)),
            other => KeptValue::from(&other),
        }
    }
}

/// A kept value equals a string when it is that JSON string.
impl PartialEq<str> for KeptValue {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for KeptValue {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl fmt::Debug for KeptValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.view() {
            View::Str(text) => fmt::Debug::fmt(text, f),
            View::Json(raw) => f.write_str(raw),
        }
    }
}

impl fmt::Display for KeptValue {
    /// The JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.json())
    }
}

impl Serialize for KeptValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            Repr::Str(text) => serializer.serialize_str(text),
            Repr::Literal("null") => serializer.serialize_unit(),
            Repr::Literal(flag) => serializer.serialize_bool(*flag == "true"),
            // serde_json (and its `to_value`) write a struct of this name as
            // the raw text it holds.
            Repr::Json(raw) => {
                let mut s = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
                s.serialize_field(RAW_VALUE_TOKEN, &**raw)?;
                s.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for KeptValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = d.deserialize_newtype_struct(RAW_VALUE_TOKEN, KeptVisitor(Nulls::Keep))?;
        Ok(value.unwrap_or(KeptValue(Repr::Literal("null"))))
    }
}

/// A property kept as received: JSON `null` is no value, anything else
/// (the string `"null"` included) is kept.
impl FieldValue for KeptValue {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, KeptVisitor(Nulls::Json))
    }
}

impl KeptValue {
    /// Reads a property where both null forms (JSON `null` and the Flutter
    /// bridge's string `"null"`) are no value; the text is looked at before
    /// anything is copied.
    pub(crate) fn deserialize_or_null<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<Self>, D::Error> {
        d.deserialize_newtype_struct(RAW_VALUE_TOKEN, KeptVisitor(Nulls::JsonAndText))
    }
}

/// Which values read as "no value".
#[derive(Clone, Copy, PartialEq, Eq)]
enum Nulls {
    /// None: every value is kept.
    Keep,
    /// JSON `null`.
    Json,
    /// JSON `null` and the string `"null"`.
    JsonAndText,
}

struct KeptVisitor(Nulls);

impl KeptVisitor {
    fn json<E: de::Error>(self, text: &str) -> Result<Option<KeptValue>, E> {
        if self.0 != Nulls::Keep && text == "null" {
            return Ok(None);
        }
        Ok(Some(KeptValue(Repr::json(text))))
    }

    fn string<E: de::Error>(
        self,
        text: impl AsRef<str> + Into<String>,
    ) -> Result<Option<KeptValue>, E> {
        if self.0 == Nulls::JsonAndText && text.as_ref() == "null" {
            return Ok(None);
        }
        Ok(Some(KeptValue(Repr::Str(text.into()))))
    }

    fn raw<E: de::Error>(self, raw: &str) -> Result<Option<KeptValue>, E> {
        match raw {
            "null" if self.0 != Nulls::Keep => Ok(None),
            "\"null\"" if self.0 == Nulls::JsonAndText => Ok(None),
            raw => KeptValue::from_raw(raw).map(Some).map_err(E::custom),
        }
    }
}

impl<'de> Visitor<'de> for KeptVisitor {
    type Value = Option<KeptValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // serde_json answers the raw-value request with a one-entry map whose
        // key is the token; any other map is a real object from another
        // deserializer, collected whole.
        let first = match map.next_key_seed(TokenOrKey)? {
            None => return self.json("{}"),
            Some(None) => {
                let raw = map.next_value_seed(BorrowedText)?;
                return self.raw(&raw);
            }
            Some(Some(key)) => key,
        };
        let mut object = serde_json::Map::new();
        object.insert(first, map.next_value()?);
        while let Some((key, value)) = map.next_entry()? {
            object.insert(key, value);
        }
        self.json(&serde_json::Value::Object(object).to_string())
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        let value = serde_json::Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.json(&value.to_string())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        self.string(v)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        self.string(v)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.json(&v.to_string())
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.json(&v.to_string())
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.json(&v.to_string())
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        self.json(&v.to_string())
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        self.json(&v.to_string())
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        // Reached only from deserializers without raw text.
        match serde_json::Number::from_f64(v) {
            Some(number) => self.json(&number.to_string()),
            None => Err(E::invalid_value(de::Unexpected::Float(v), &self)),
        }
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        self.json("null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        self.json("null")
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// Reads a map key: `None` for the raw-value token (nothing copied), else
/// the key.
pub(crate) struct TokenOrKey;

impl<'de> DeserializeSeed<'de> for TokenOrKey {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for TokenOrKey {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map key")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok((v != RAW_VALUE_TOKEN).then(|| v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok((v != RAW_VALUE_TOKEN).then_some(v))
    }
}

/// Reads a string borrowed from the input where it can be: the raw text
/// serde_json hands over for the raw-value token, or a key without escapes.
pub(crate) struct BorrowedText;

impl<'de> DeserializeSeed<'de> for BorrowedText {
    type Value = std::borrow::Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for BorrowedText {
    type Value = std::borrow::Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw JSON text")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(v.into())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.to_owned().into())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
}

/// Reading a kept value as the input of a typed parse (an object of kept
/// values, such as a redirect's parameters): strings as strings, anything
/// else parsed again from its exact text.
impl<'de> IntoDeserializer<'de, serde_json::Error> for KeptValue {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

/// Parses a kept value's text again, with the method the visitor asked for
/// (so `u128` reads a 21-digit number whole).
macro_rules! reparse {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
            // An owned string is handed over whole; any other value is read
            // again from its text (a reader never lends its text, so any
            // visitor lifetime fits).
            let repr = match self.0 {
                Repr::Str(text) => return visitor.visit_string(text),
                repr => repr,
            };
            let (View::Json(raw) | View::Str(raw)) = repr.view();
            let mut de = serde_json::Deserializer::from_reader(raw.as_bytes());
            let value = de.$method(visitor)?;
            de.end()?;
            Ok(value)
        }
    )*};
}

impl<'de> Deserializer<'de> for KeptValue {
    type Error = serde_json::Error;

    reparse! {
        deserialize_any deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32
        deserialize_i64 deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32
        deserialize_u64 deserialize_u128 deserialize_f32 deserialize_f64 deserialize_char
        deserialize_str deserialize_string deserialize_bytes deserialize_byte_buf
        deserialize_unit deserialize_seq deserialize_map deserialize_identifier
        deserialize_ignored_any
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        if self.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        if name != RAW_VALUE_TOKEN {
            return visitor.visit_newtype_struct(self);
        }
        let raw = self.json().into_owned();
        visitor.visit_map(de::value::MapDeserializer::new(std::iter::once((
            RAW_VALUE_TOKEN,
            raw,
        ))))
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        let repr = match self.0 {
            Repr::Str(text) => return visitor.visit_enum(text.into_deserializer()),
            repr => repr,
        };
        let (View::Json(raw) | View::Str(raw)) = repr.view();
        let mut de = serde_json::Deserializer::from_reader(raw.as_bytes());
        let value = de.deserialize_enum(name, variants, visitor)?;
        de.end()?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(json: &str) -> KeptValue {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn numbers_keep_every_digit() {
        for json in [
            "123456789012345678901",
            "-123456789012345678901234567890",
            "1e-400",
            "1E+400",
            "0.1234567890123456789",
            "10.50",
            "-0",
            "[1e-400,{\"a\":123456789012345678901}]",
            "{\"n\":0.30000000000000004,\"s\":\"x y\"}",
            "true",
            "null",
        ] {
            let value = kept(json);
            assert_eq!(value.json(), json);
            assert_eq!(serde_json::to_string(&value).unwrap(), json);
            let again: KeptValue =
                serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
            assert_eq!(again, value, "{json}");
        }
    }

    #[test]
    fn whitespace_between_tokens_is_not_kept() {
        let spaced = kept("{ \"a\" :\n [1e-400 , \"x \\\" y\"] }");
        assert_eq!(spaced.json(), "{\"a\":[1e-400,\"x \\\" y\"]}");
        assert_eq!(spaced, kept("{\"a\":[1e-400,\"x \\\" y\"]}"));
    }

    #[test]
    fn strings_are_decoded_and_re_encoded() {
        let value = kept(r#""a\"b\u00e9""#);
        assert_eq!(value.as_str(), Some("a\"bé"));
        assert_eq!(value.json_type(), "string");
        assert_eq!(serde_json::to_string(&value).unwrap(), r#""a\"bé""#);
        assert_eq!(kept(r#""plain""#).as_str(), Some("plain"));
    }

    #[test]
    fn types_and_conversions() {
        for (json, ty) in [
            ("null", "null"),
            ("false", "boolean"),
            ("-1", "number"),
            ("\"\"", "string"),
            ("[]", "array"),
            ("{}", "object"),
        ] {
            assert_eq!(kept(json).json_type(), ty, "{json}");
        }
        assert!(kept("null").is_null());
        assert!(!kept(r#""null""#).is_null());
        assert_eq!(
            kept("{\"a\":[1,2]}").to_value().unwrap(),
            serde_json::json!({"a": [1, 2]})
        );
        assert!(kept("1e400").to_value().is_err());
        // Nesting is limited as serde_json limits it, so a kept value can
        // always be read again.
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert!(serde_json::from_str::<KeptValue>(&deep(128)).is_ok());
        assert!(serde_json::from_str::<KeptValue>(&deep(129)).is_err());
        assert!(serde_json::from_str::<KeptValue>(&format!("[\"{}\"]", "[".repeat(200))).is_ok());
        assert_eq!(
            kept("123456789012345678901").decode::<u128>().unwrap(),
            123456789012345678901
        );
        assert_eq!(kept(r#""7""#).decode::<String>().unwrap(), "7");
        assert!(KeptValue::from_json("1 2").is_err());
    }

    #[test]
    fn other_deserializers_and_serializers() {
        // Through serde_json::Value, both ways.
        let value: KeptValue = serde_json::from_value(serde_json::json!({"a": [1, "x"]})).unwrap();
        assert_eq!(value.json(), r#"{"a":[1,"x"]}"#);
        assert_eq!(
            serde_json::to_value(&value).unwrap(),
            serde_json::json!({"a": [1, "x"]})
        );
        let value: KeptValue = serde_json::from_value(serde_json::json!("s")).unwrap();
        assert_eq!(value.as_str(), Some("s"));
        // Read back as the input of a parse.
        let n: u128 = u128::deserialize(kept("123456789012345678901")).unwrap();
        assert_eq!(n, 123456789012345678901);
        let s: String = String::deserialize(KeptValue::from("x")).unwrap();
        assert_eq!(s, "x");
        let inner: KeptValue = KeptValue::deserialize(kept("1e-400")).unwrap();
        assert_eq!(inner.json(), "1e-400");
        let inner: KeptValue = KeptValue::deserialize(KeptValue::from("q\"")).unwrap();
        assert_eq!(inner.as_str(), Some("q\""));
    }
}
