//! The merchant's own `custom_data`, echoed back in whatever JSON form it took.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::{AsEntry, Entry, FieldValue, KeptValue};
use crate::error::{Error, ErrorKind};

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
pub struct CustomData(KeptValue);

impl CustomData {
    /// Wraps a JSON value.
    pub fn new(value: impl Into<KeptValue>) -> Self {
        CustomData(value.into())
    }

    /// The value as received, every digit of its numbers kept.
    pub fn as_kept(&self) -> &KeptValue {
        &self.0
    }

    /// The value as a `serde_json::Value` (see [`KeptValue::to_value`] for
    /// what that does to long numbers).
    ///
    /// # Errors
    ///
    /// A number outside the range of an `f64`.
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        self.0.to_value()
    }

    /// The text, when it was received as a JSON string.
    pub fn as_str(&self) -> Option<&str> {
        self.0.as_str()
    }

    /// Reads the data into `T`: a string is parsed as JSON text (the REST
    /// form), anything else from the text received (the callback form).
    pub fn decode<T: DeserializeOwned>(&self) -> Result<T, Error> {
        let result = match self.0.as_str() {
            Some(text) => serde_json::from_str(text),
            None => self.0.decode(),
        };
        result.map_err(|e| Error::from_json(&e, ErrorKind::InvalidValue).with_field("custom_data"))
    }
}

impl From<KeptValue> for CustomData {
    fn from(value: KeptValue) -> Self {
        CustomData(value)
    }
}

impl AsEntry for CustomData {
    #[inline]
    fn entry(&self) -> Entry<'_> {
        Entry::Kept(&self.0)
    }
}

impl Serialize for CustomData {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CustomData {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        KeptValue::deserialize(deserializer).map(CustomData)
    }
}

impl FieldValue for CustomData {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        // Both null forms are no value (the Flutter bridge's "null" too);
        // the text is borrowed until then, so refusing it copies nothing.
        Ok(KeptValue::deserialize_or_null(d)?.map(CustomData))
    }
}
