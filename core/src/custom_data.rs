//! The merchant's own `custom_data`, echoed back in whatever JSON form it took.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::error::{Error, ErrorKind};
use crate::field::{FieldValue, is_null_text};

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
        Ok(match Value::deserialize(d)? {
            Value::Null => None,
            Value::String(text) if is_null_text(&text) => None,
            value => Some(CustomData(value)),
        })
    }
}
