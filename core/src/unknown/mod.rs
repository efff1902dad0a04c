//! A response from a PG this version of portone-pg does not know.

mod body;

use std::cell::RefCell;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, btree_map};

use crate::value::{Flag, KeptValue};

use crate::error::{Error, ErrorKind};
use crate::outcome::Outcome;
use crate::parse::dispatch::{Dispatch, TAG_KEY, from_unknown, mismatch, with_hint};
use crate::parse::redact::RedactedMap;
use crate::parse::rules::names_nothing;
use crate::value::is_null_text;
use body::Body;

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
#[derive(Clone)]
pub struct UnknownResponse {
    body: Body,
    hint: Option<String>,
}

impl UnknownResponse {
    /// Parses a JSON object, keeping every key; a key given twice is an error.
    pub fn from_json(json: &[u8]) -> Result<Self, Error> {
        Self::with_body(Body::read(json)?, None, |_| true)
    }

    /// Reads a JSON object, received for the PG code `hint`; see
    /// [`from_fields`](Self::from_fields).
    pub(crate) fn read(
        json: &[u8],
        hint: Option<&str>,
        agrees: impl FnOnce(&str) -> bool,
    ) -> Result<Self, Error> {
        Self::with_body(Body::read(json)?, hint, agrees)
    }

    /// Reads a JSON object already known to be UTF-8 text.
    pub(crate) fn read_str(
        text: &str,
        hint: Option<&str>,
        agrees: impl FnOnce(&str) -> bool,
    ) -> Result<Self, Error> {
        Self::with_body(Body::read_str(text)?, hint, agrees)
    }

    /// An already-decoded object received for the PG code `hint` (the
    /// request's `pg` without `.MID`); `agrees` says whether a `pg_provider`
    /// in the body answers that request. One that does not is an error.
    pub(crate) fn from_fields(
        fields: BTreeMap<String, KeptValue>,
        hint: Option<&str>,
        agrees: impl FnOnce(&str) -> bool,
    ) -> Result<Self, Error> {
        Self::with_body(Body::Fields(fields), hint, agrees)
    }

    fn with_body(
        body: Body,
        hint: Option<&str>,
        agrees: impl FnOnce(&str) -> bool,
    ) -> Result<Self, Error> {
        let mut unknown = UnknownResponse {
            body,
            hint: hint.map(str::to_owned),
        };
        unknown.check_hint(agrees)?;
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

    fn check_hint(&self, agrees: impl FnOnce(&str) -> bool) -> Result<(), Error> {
        let Some(tag) = self.body.json(TAG_KEY).filter(|tag| !tag.is_null()) else {
            return Ok(());
        };
        match (self.hint.as_deref(), self.body.str(TAG_KEY)) {
            (_, Some(body)) if is_null_text(body) => Ok(()),
            (None, Some(_)) => Ok(()),
            (Some(_), Some(body)) if agrees(body) => Ok(()),
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
        self.body.fields()
    }

    /// Every key and value, owned.
    pub fn into_fields(self) -> BTreeMap<String, KeptValue> {
        self.body.into_fields()
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&KeptValue> {
        self.fields().get(key)
    }

    /// The value of `key` if it is a string (`"null"` included).
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// let unknown = portone_pg::UnknownResponse::from_json(br#"{"pg_type":"payment","n":1}"#)?;
    /// assert_eq!(unknown.get_str("pg_type"), Some("payment"));
    /// assert_eq!(unknown.get_str("n"), None);
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.body.str(key)
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
            .find_map(|key| self.body.json(key)?.decode::<Flag>())
            .map(Flag::get);
        Outcome::from_flag(flag, self.imp_uid().is_some(), code, message)
    }

    /// A string value; the Flutter bridge's `"null"` is no value.
    fn text(&self, key: &str) -> Option<&str> {
        self.body.str(key).filter(|text| !is_null_text(text))
    }
}

impl fmt::Debug for UnknownResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Ids and the PG are not personal; every other value might be.
        f.debug_struct("UnknownResponse")
            .field("pg_provider", &self.pg_provider())
            .field("imp_uid", &self.imp_uid())
            .field("merchant_uid", &self.merchant_uid())
            .field("fields", &RedactedMap(self.fields()))
            .finish()
    }
}

impl PartialEq for UnknownResponse {
    fn eq(&self, other: &Self) -> bool {
        self.hint == other.hint && self.fields() == other.fields()
    }
}

impl Serialize for UnknownResponse {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.fields().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for UnknownResponse {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let duplicate = RefCell::new(None);
        let fields = deserializer.deserialize_map(FieldsVisitor {
            duplicate: &duplicate,
        })?;
        Ok(UnknownResponse {
            body: Body::Fields(fields),
            hint: None,
        })
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
/// # fn read<T: portone_pg::__private::Dispatch>() -> Result<T, serde_json::Error> {
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

impl<'de, T: Dispatch> serde::de::DeserializeSeed<'de> for WithPg<'_, T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        let unknown = UnknownResponse::deserialize(deserializer)?;
        let typed = T::hint(self.pg)
            .and_then(|hint| with_hint::<T>(unknown.into_fields(), Some(&hint)))
            .and_then(from_unknown);
        typed.map_err(serde::de::Error::custom)
    }
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
        let parse = |json: &[u8], hint: &str| {
            UnknownResponse::read(json, Some(hint), |body| {
                hint == body || (hint, body) == ("old", "new")
            })
        };
        let u = parse(br#"{"imp_uid":"imp_1"}"#, "newpg").unwrap();
        assert_eq!(u.pg_provider(), Some("newpg"));
        assert!(u.pg_provider_from_hint());
        let err = parse(br#"{"pg_provider":"a"}"#, "b").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
        let u = parse(br#"{"pg_provider":"new"}"#, "old").unwrap();
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
