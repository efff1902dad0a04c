//! The values a response carries, and the leniency each is read with:
//! exact amounts, flags, integers and timestamps that also arrive as strings,
//! open code enums, `custom_data`, and [`KeptValue`] for whatever is kept
//! without a type.
//!
//! Every property type implements [`FieldValue`], which reads a property
//! where "no value" arrives in two forms: JSON `null`, and the string
//! `"null"`. The string form is not a guess: the official Flutter module
//! rebuilds the callback as `key=value` pairs from every key of the JS
//! object, so a JS `null` arrives as the four letters `null`. No PG sends
//! `"null"` as a real value of a typed property, and reading it as a value
//! would turn `error_code: "null"` into a failure.
//!
//! A new property type is its module here (the type, its visitor, and a
//! `lenient_value!` line for the shared impls) plus one row in the value-type
//! table of portone-pg-schema (`schema/src/model.rs`).

mod amount;
pub(crate) mod codes;
mod custom_data;
mod entry;
mod flag;
mod integer;
pub(crate) mod kept;
mod timestamp;

pub use amount::Amount;
pub use codes::{Currency, EmbPgProvider, PayMethod, Status};
pub use custom_data::CustomData;
pub use entry::{AsEntry, Entry};
pub use flag::Flag;
pub use integer::Integer;
pub use kept::KeptValue;
pub use timestamp::{CivilDateTime, Timestamp};

use std::fmt;

use serde::Deserializer;
use serde::de::{self, Visitor};

/// A property type that reads `null` and `"null"` as `None`.
///
/// Implemented by every runtime type a schema can name; the generated parser
/// reads every property through it.
pub trait FieldValue: Sized {
    /// Reads a value, `None` for either null form.
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error>;
}

/// The JSON form a lenient value was received in, so that serializing
/// gives the received JSON back.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub(crate) enum Received {
    /// The natural JSON type (number, boolean).
    #[default]
    Native,
    /// A JSON string holding the value (`"1004"`, `"true"`): redirects,
    /// Flutter, some mobile SDKs.
    Text,
}

/// The impls every lenient scalar shares: `Deserialize` and [`FieldValue`]
/// through its visitor (both null forms are no value), and `Serialize`
/// through its [`Entry`], so a value is written
/// back exactly as generated types write it.
macro_rules! lenient_value {
    ($ty:ty, $visitor:expr) => {
        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($visitor)
            }
        }

        impl $crate::value::FieldValue for $ty {
            fn deserialize_field<'de, D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> Result<Option<Self>, D::Error> {
                d.deserialize_any($crate::value::OrNull($visitor))
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&$crate::value::AsEntry::entry(self), s)
            }
        }
    };
}
pub(crate) use lenient_value;

/// A scalar read leniently (`{ value, received }`): compared, hashed and
/// printed by its value alone, however it arrived (`true` and `"true"` are
/// the same flag).
macro_rules! lenient_scalar {
    ($ty:ident, $value:ty) => {
        impl $ty {
            /// The value.
            pub fn get(self) -> $value {
                self.value
            }
        }

        impl From<$value> for $ty {
            fn from(value: $value) -> Self {
                $ty {
                    value,
                    received: $crate::value::Received::Native,
                }
            }
        }

        impl From<$ty> for $value {
            fn from(scalar: $ty) -> $value {
                scalar.value
            }
        }

        impl PartialEq for $ty {
            fn eq(&self, other: &Self) -> bool {
                self.value == other.value
            }
        }

        impl Eq for $ty {}

        impl ::std::hash::Hash for $ty {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                self.value.hash(state);
            }
        }

        impl PartialEq<$value> for $ty {
            fn eq(&self, other: &$value) -> bool {
                self.value == *other
            }
        }

        impl ::std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Debug::fmt(&self.value, f)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value, f)
            }
        }
    };
}
pub(crate) use lenient_scalar;

/// Whether a string is the Flutter bridge's rendering of a JS `null`.
pub(crate) fn is_null_text(text: &str) -> bool {
    text == "null"
}

/// Wraps a visitor so that both null forms read as `None` and every other
/// value goes to the inner visitor.
pub(crate) struct OrNull<V>(pub V);

impl<'de, V: Visitor<'de>> Visitor<'de> for OrNull<V> {
    type Value = Option<V::Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.expecting(f)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        self.0.visit_bool(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        self.0.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        self.0.visit_u64(v).map(Some)
    }

    fn visit_i128<E: de::Error>(self, v: i128) -> Result<Self::Value, E> {
        self.0.visit_i128(v).map(Some)
    }

    fn visit_u128<E: de::Error>(self, v: u128) -> Result<Self::Value, E> {
        self.0.visit_u128(v).map(Some)
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        self.0.visit_f64(v).map(Some)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if is_null_text(v) {
            return Ok(None);
        }
        self.0.visit_str(v).map(Some)
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if is_null_text(v) {
            return Ok(None);
        }
        self.0.visit_borrowed_str(v).map(Some)
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        if is_null_text(&v) {
            return Ok(None);
        }
        self.0.visit_string(v).map(Some)
    }

    fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        self.0.visit_map(map).map(Some)
    }

    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        self.0.visit_seq(seq).map(Some)
    }
}

/// Reads a JSON string into a `String`.
struct StringVisitor;

impl Visitor<'_> for StringVisitor {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<String, E> {
        Ok(v)
    }
}

impl FieldValue for String {
    fn deserialize_field<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Self>, D::Error> {
        d.deserialize_any(OrNull(StringVisitor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: FieldValue>(json: &str) -> Result<Option<T>, serde_json::Error> {
        T::deserialize_field(&mut serde_json::Deserializer::from_str(json))
    }

    #[test]
    fn both_null_forms_are_none_and_other_strings_are_kept() {
        assert_eq!(read::<String>("null").unwrap(), None);
        assert_eq!(read::<String>(r#""null""#).unwrap(), None);
        assert_eq!(read::<String>(r#""""#).unwrap(), Some(String::new()));
        assert_eq!(read::<String>(r#""NULL""#).unwrap(), Some("NULL".into()));
        assert!(read::<String>("12").is_err());
        let from_value = String::deserialize_field(serde_json::json!("null")).unwrap();
        assert_eq!(from_value, None);
    }

    #[test]
    fn every_runtime_type_reads_both_null_forms_as_none() {
        use crate::{Amount, CustomData, Flag, Integer, PayMethod, Timestamp};
        for json in ["null", r#""null""#] {
            assert_eq!(read::<Amount>(json).unwrap(), None, "{json}");
            assert_eq!(read::<Flag>(json).unwrap(), None, "{json}");
            assert_eq!(read::<Integer>(json).unwrap(), None, "{json}");
            assert_eq!(read::<Timestamp>(json).unwrap(), None, "{json}");
            assert_eq!(read::<CustomData>(json).unwrap(), None, "{json}");
            assert_eq!(read::<PayMethod>(json).unwrap(), None, "{json}");
            let value: serde_json::Value = serde_json::from_str(json).unwrap();
            assert_eq!(Amount::deserialize_field(value).unwrap(), None, "{json}");
        }
        // Values still read as values, in every form the type accepts.
        assert_eq!(
            read::<Amount>(r#""1004""#).unwrap(),
            Some(Amount::from(1004u32))
        );
        assert_eq!(
            read::<Amount>("10.50").unwrap().unwrap().to_string(),
            "10.50"
        );
        let value = serde_json::json!(1004);
        assert_eq!(
            Amount::deserialize_field(value).unwrap(),
            Some(Amount::from(1004u32))
        );
        assert_eq!(
            read::<Flag>(r#""true""#).unwrap().map(Flag::get),
            Some(true)
        );
        assert_eq!(
            read::<PayMethod>(r#""card""#).unwrap(),
            Some(PayMethod::Card)
        );
        // The empty string is a value, and a wrong one for typed properties.
        let empty = r#""""#;
        assert!(read::<Amount>(empty).is_err());
        assert!(read::<Flag>(empty).is_err());
        assert!(read::<Timestamp>(empty).is_err());
    }
}
