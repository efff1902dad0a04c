//! A response from a PG this version of portone-pg does not know.

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, btree_map};

use crate::value::{Flag, KeptValue};

use crate::error::{Error, ErrorKind};
use crate::outcome::Outcome;
use crate::parse::ctx::{ReadError, read_json};
use crate::parse::redact::RedactedMap;
use crate::parse::route::{SamePg, TAG_KEY, mismatch};
use crate::parse::rules::names_nothing;
use crate::value::is_null_text;

/// A response whose PG is unknown (a code this version has no schema for) or
/// unnamed (no `pg_provider` in the body and no `pg` hint), with every key and
/// value kept as received.
///
/// Nothing is rejected or dropped: upgrade portone-pg (or add a schema file)
/// and the same bytes parse into a typed struct.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::{Outcome, UnknownResponse};
///
/// let body = br#"{"pg_provider":"newpg","imp_uid":"imp_1","merchant_uid":"o-1","success":true}"#;
/// let unknown = UnknownResponse::from_json(body)?;
/// assert_eq!(unknown.pg_provider(), Some("newpg"));
/// assert_eq!(unknown.imp_uid(), Some("imp_1"));
/// assert_eq!(unknown.outcome(), Outcome::Success);
/// # Ok::<(), portone_pg::Error>(())
/// ```
#[derive(Clone, PartialEq)]
pub struct UnknownResponse {
    fields: BTreeMap<String, KeptValue>,
    hint: Option<String>,
}

impl UnknownResponse {
    /// Parses a JSON object, keeping every key; a key given twice is an error.
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        Self::parse(json, None, |hint, body| hint == body)
    }

    /// Parses a JSON object received for the PG code `hint` (the request's
    /// `pg` without `.MID`, as the dispatcher has already parsed it). A body
    /// `pg_provider` that contradicts it (`same_pg(hint, body)` is false) is
    /// an error.
    pub(crate) fn parse(json: &[u8], hint: Option<&str>, same_pg: SamePg) -> Result<Self, Error> {
        let duplicate = RefCell::new(None);
        let visitor = FieldsVisitor {
            duplicate: &duplicate,
        };
        let fields =
            read_json(json, |reader| reader.deserialize_map(visitor)).map_err(|e| {
                match (e, duplicate.take()) {
                    (ReadError::Json(e), Some(key)) => {
                        Error::from_json(&e, ErrorKind::DuplicateField).with_field(key)
                    }
                    (ReadError::Json(e), None) => Error::from_json(&e, ErrorKind::NotAnObject),
                    (ReadError::NotUtf8(error), _) => error,
                }
            })?;
        Self::from_fields(fields, hint, same_pg)
    }

    /// An already-decoded object (a redirect's query), checked against the hint.
    pub(crate) fn from_fields(
        fields: BTreeMap<String, KeptValue>,
        hint: Option<&str>,
        same_pg: SamePg,
    ) -> Result<Self, Error> {
        let mut unknown = UnknownResponse {
            fields,
            hint: hint.map(str::to_owned),
        };
        unknown.check_hint(same_pg)?;
        unknown.check_ids()?;
        // The hint is kept only where it names the PG, so two responses
        // with the same fields and the same PG are equal.
        if unknown.text(TAG_KEY).is_some() {
            unknown.hint = None;
        }
        Ok(unknown)
    }

    /// The ids, under their names and the mobile SDKs' aliases, name a
    /// payment: as with a known PG, one holding a control character is an
    /// error. Every other key is kept as received.
    fn check_ids(&self) -> Result<(), Error> {
        for key in ["imp_uid", "txId", "merchant_uid", "paymentId"] {
            if self.text(key).is_some_and(names_nothing) {
                let error = Error::new(
                    ErrorKind::InvalidValue,
                    "an id with a control character names no payment",
                )
                .with_field(key);
                return Err(match self.pg_provider() {
                    Some(pg) => error.with_pg(pg),
                    None => error,
                });
            }
        }
        Ok(())
    }

    fn check_hint(&self, same_pg: SamePg) -> Result<(), Error> {
        let Some(tag) = self.fields.get(TAG_KEY).filter(|tag| !tag.is_null()) else {
            return Ok(());
        };
        match (self.hint.as_deref(), tag.as_str()) {
            (_, Some(body)) if is_null_text(body) => Ok(()),
            (None, Some(_)) => Ok(()),
            (Some(hint), Some(body)) if same_pg(hint, body) => Ok(()),
            (Some(hint), Some(body)) => Err(mismatch(hint, body).with_pg(hint)),
            (_, None) => Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "invalid type: {}, expected a PG code string",
                    tag.json_type()
                ),
            )
            .with_field(TAG_KEY)),
        }
    }

    /// The PG code: the body's `pg_provider` if it has one, else the hint.
    pub fn pg_provider(&self) -> Option<&str> {
        self.text(TAG_KEY).or(self.hint.as_deref())
    }

    /// Whether the PG code came from the caller's hint rather than the body.
    pub fn pg_provider_from_hint(&self) -> bool {
        self.text(TAG_KEY).is_none() && self.hint.is_some()
    }

    /// Every key and value, as received (numbers digit for digit).
    pub fn fields(&self) -> &BTreeMap<String, KeptValue> {
        &self.fields
    }

    /// Every key and value, owned.
    pub fn into_fields(self) -> BTreeMap<String, KeptValue> {
        self.fields
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&KeptValue> {
        self.fields.get(key)
    }

    /// `imp_uid` (or the mobile SDKs' `txId`), when it is a non-empty
    /// string: `""` names no payment.
    pub fn imp_uid(&self) -> Option<&str> {
        self.text("imp_uid")
            .or_else(|| self.text("txId"))
            .filter(|id| !id.is_empty())
    }

    /// `merchant_uid` (or the mobile SDKs' `paymentId`), when it is a string.
    pub fn merchant_uid(&self) -> Option<&str> {
        self.text("merchant_uid").or_else(|| self.text("paymentId"))
    }

    /// The claim, read with the rules every official SDK applies when it does
    /// not know the PG: a `success` / `imp_success` flag (boolean or
    /// `"true"`/`"false"`) decides; without one, an `error_code` / `error_msg`
    /// (or `code` / `message`) means failure and an `imp_uid` means success.
    pub fn outcome(&self) -> Outcome {
        let code = self.text("error_code").or_else(|| self.text("code"));
        let message = self.text("error_msg").or_else(|| self.text("message"));
        // Read as the typed flag reads it: a boolean, or "true" / "false".
        let flag = ["success", "imp_success"]
            .iter()
            .find_map(|key| self.fields.get(*key)?.decode::<Flag>().ok())
            .map(Flag::get);
        Outcome::from_flag(flag, self.imp_uid().is_some(), code, message)
    }

    /// A string value; the Flutter bridge's `"null"` is no value.
    fn text(&self, key: &str) -> Option<&str> {
        self.fields
            .get(key)
            .and_then(KeptValue::as_str)
            .filter(|text| !is_null_text(text))
    }
}

/// Parses a body whose PG has no schema (or is not named), for the PG code
/// `hint` if the caller gave one.
pub fn parse_unknown(
    json: &[u8],
    hint: Option<&str>,
    same_pg: SamePg,
) -> Result<UnknownResponse, Error> {
    UnknownResponse::parse(json, hint, same_pg)
}

impl fmt::Debug for UnknownResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ids and the PG are not personal; every other value might be.
        f.debug_struct("UnknownResponse")
            .field("pg_provider", &self.pg_provider())
            .field("imp_uid", &self.imp_uid())
            .field("merchant_uid", &self.merchant_uid())
            .field("fields", &RedactedMap(&self.fields))
            .finish()
    }
}

impl Serialize for UnknownResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.fields.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UnknownResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let duplicate = RefCell::new(None);
        let fields = deserializer.deserialize_map(FieldsVisitor {
            duplicate: &duplicate,
        })?;
        Ok(UnknownResponse { fields, hint: None })
    }
}

/// A JSON object into a map, refusing duplicate keys (serde_json's own map
/// would silently keep the last one).
struct FieldsVisitor<'a> {
    duplicate: &'a RefCell<Option<String>>,
}

impl<'de> Visitor<'de> for FieldsVisitor<'_> {
    type Value = BTreeMap<String, KeptValue>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            // One lookup: the slot is found before the value is read.
            match fields.entry(key) {
                btree_map::Entry::Vacant(slot) => {
                    slot.insert(map.next_value()?);
                }
                btree_map::Entry::Occupied(taken) => {
                    *self.duplicate.borrow_mut() = Some(taken.key().clone());
                    return Err(de::Error::custom("duplicate field: received twice"));
                }
            }
        }
        Ok(fields)
    }
}

/// A [`DeserializeSeed`](serde::de::DeserializeSeed) carrying the request's
/// `pg` into a serde entry point, so the bodies of thin PGs (which name no
/// PG) are typed there too: what `from_json_with_pg` does, for any
/// deserializer. Made by `PaymentResponse::seed(pg)`.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use serde::de::DeserializeSeed;
///
/// # fn read<T: portone_pg::__private::Hinted>() -> Result<T, serde_json::Error> {
/// let mut body = serde_json::Deserializer::from_str(r#"{"imp_uid":"imp_1","merchant_uid":"o-1"}"#);
/// let response = portone_pg::WithPg::<T>::new("tosspay_v2").deserialize(&mut body)?;
/// # Ok(response)
/// # }
/// ```
pub struct WithPg<'a, T> {
    pg: &'a str,
    target: std::marker::PhantomData<fn() -> T>,
}

impl<'a, T> WithPg<'a, T> {
    /// A seed for the request's `pg` (`"kcp"`, `"kcp.T0000"`).
    pub fn new(pg: &'a str) -> Self {
        WithPg {
            pg,
            target: std::marker::PhantomData,
        }
    }
}

impl<T> fmt::Debug for WithPg<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WithPg").field("pg", &self.pg).finish()
    }
}

impl<'de, T: Hinted> serde::de::DeserializeSeed<'de> for WithPg<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let unknown = UnknownResponse::deserialize(deserializer)?;
        T::from_hinted(unknown, self.pg).map_err(serde::de::Error::custom)
    }
}

/// A dispatcher that types an object read whole, given the request's `pg`.
#[doc(hidden)]
pub trait Hinted: Sized {
    /// The typed response, or the error `from_json_with_pg` would give.
    fn from_hinted(unknown: UnknownResponse, pg: &str) -> Result<Self, Error>;
}

/// The object with the request's `pg` as its hint: refused when its own
/// `pg_provider` contradicts it.
#[doc(hidden)]
pub fn with_hint(
    unknown: UnknownResponse,
    hint: &str,
    same_pg: SamePg,
) -> Result<UnknownResponse, Error> {
    UnknownResponse::from_fields(unknown.fields, Some(hint), same_pg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_everything_and_refuses_duplicates() {
        let u = UnknownResponse::from_json(br#"{"b":[1,{"x":null}],"a":"1"}"#).unwrap();
        assert_eq!(
            serde_json::to_value(&u).unwrap(),
            serde_json::json!({"a":"1","b":[1,{"x":null}]})
        );
        let err = UnknownResponse::from_json(br#"{"a":1,"a":2}"#).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateField);
        let err = UnknownResponse::from_json(b"[1]").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotAnObject);
        let err = UnknownResponse::from_json(b"{\"a\":").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Syntax);
    }

    #[test]
    fn hint_and_body_must_agree() {
        let same = |hint: &str, body: &str| hint == body || (hint, body) == ("old", "new");
        let u = UnknownResponse::parse(br#"{"imp_uid":"imp_1"}"#, Some("newpg"), same).unwrap();
        assert_eq!(u.pg_provider(), Some("newpg"));
        assert!(u.pg_provider_from_hint());
        let err = UnknownResponse::parse(br#"{"pg_provider":"a"}"#, Some("b"), same).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
        let u = UnknownResponse::parse(br#"{"pg_provider":"new"}"#, Some("old"), same).unwrap();
        assert_eq!(u.pg_provider(), Some("new"));
    }

    #[test]
    fn generic_outcome() {
        let pre = UnknownResponse::from_json(
            br#"{"success":false,"imp_uid":null,"merchant_uid":"m","error_code":"F1002","error_msg":"x"}"#,
        )
        .unwrap();
        assert_eq!(
            pre.outcome(),
            Outcome::Failure {
                code: Some("F1002".into()),
                message: Some("x".into())
            }
        );
        let thin =
            UnknownResponse::from_json(br#"{"imp_uid":"imp_1","merchant_uid":"m"}"#).unwrap();
        assert_eq!(thin.outcome(), Outcome::Success);
        let redirect =
            UnknownResponse::from_json(br#"{"imp_success":"false","imp_uid":"imp_1"}"#).unwrap();
        assert_eq!(
            redirect.outcome(),
            Outcome::Failure {
                code: None,
                message: None
            }
        );
    }
}
