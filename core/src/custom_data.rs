//! The merchant's own `custom_data`, echoed back in whatever JSON form it took.

use std::fmt;

use serde::de::{self, DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::field::{FieldValue, OrNull};

/// The `custom_data` the merchant passed to `IMP.request_pay`.
///
/// The docs call it a string; real callbacks carry `null`, a string, or the
/// object that was passed in, and the REST API stores it as a JSON *string*.
/// `CustomData` keeps the value as received; [`decode`](Self::decode) reads
/// either form into your own type.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::CustomData;
///
/// #[derive(serde::Deserialize, PartialEq, Debug)]
/// struct Order { cart_id: u32 }
///
/// let from_callback: CustomData = serde_json::from_str(r#"{"cart_id": 7}"#)?;
/// let from_rest: CustomData = serde_json::from_str(r#""{\"cart_id\": 7}""#)?;
/// assert_eq!(from_callback.decode::<Order>()?, Order { cart_id: 7 });
/// assert_eq!(from_rest.decode::<Order>()?, Order { cart_id: 7 });
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomData(Value);

impl CustomData {
    /// Wraps a JSON value.
    pub fn new(value: Value) -> Self {
        CustomData(value)
    }

    /// The value as received.
    pub fn as_value(&self) -> &Value {
        &self.0
    }

    /// The value as received, owned.
    pub fn into_value(self) -> Value {
        self.0
    }

    /// The text, when it was received as a JSON string.
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// Reads the data into `T`: a string is parsed as JSON text (the REST
    /// form), anything else is converted directly (the callback form).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let result = match &self.0 {
            Value::String(text) => serde_json::from_str(text),
            other => T::deserialize(other),
        };
        result.map_err(|e| Error::from_json(&e, ErrorKind::InvalidValue).with_field("custom_data"))
    }
}

impl Serialize for CustomData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CustomData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Value::deserialize(deserializer).map(CustomData)
    }
}

impl FieldValue for CustomData {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        // Through `OrNull`, so the text "null" is refused before it is copied.
        Ok(d.deserialize_any(OrNull(AnyValue))?.map(CustomData))
    }
}

/// Reads any JSON value; objects and arrays through `Value` itself.
struct AnyValue;

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Value, A::Error> {
        Value::deserialize(de::value::MapAccessDeserializer::new(map))
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        Value::deserialize(de::value::SeqAccessDeserializer::new(seq))
    }
}
