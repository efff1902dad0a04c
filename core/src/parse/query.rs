//! Redirect query strings (`m_redirect_url?imp_uid=…&imp_success=true`) as
//! the same key/value object a callback is, every value a string.

use std::borrow::Cow;
use std::collections::{BTreeMap, btree_map};

use serde::de::Visitor;
use serde::de::value::{BorrowedStrDeserializer, MapDeserializer};

use crate::value::KeptValue;

use crate::error::{Error, ErrorKind};

/// The keys whose `&`-joined presence shows a redirect query that arrived
/// with its separators percent-encoded.
const REDIRECT_KEYS: &[&str] = &[
    "imp_uid",
    "merchant_uid",
    "imp_success",
    "success",
    "m_redirect_url",
];

/// The parameter that carries the merchant's own return URL, nested.
const NESTED_URL: &str = "m_redirect_url";

/// Decodes a redirect's `a=1&b=2` (a leading `?` is ignored) into an object
/// of strings.
///
/// `+` is a space and `%XX` a byte, as browsers encode forms; the decoded
/// bytes must be UTF-8. A `%` not followed by two hex digits is an error
/// rather than being passed through, because a payment id or an amount must
/// never be read from a garbled value. A key repeated with the same value is
/// kept once; with another value it is an error.
///
/// The iOS return of KG Inicis transfers arrives with its separators encoded
/// (`imp_uid=…%26merchant_uid=…`) and the merchant's own return URL nested in
/// an `m_redirect_url` parameter, whose query repeats the ids. Such a query is
/// decoded once first; then `m_redirect_url` takes the rest of the query as
/// its value, so nothing of the nested URL is read as an outer parameter.
pub(crate) fn parse(query: &str) -> Result<BTreeMap<String, KeptValue>, Error> {
    decoded(query, |pairs| Ok(owned(pairs)))
}

/// Runs `with` over a redirect's decoded pairs: the separators decoded
/// first when they arrived encoded, then each pair by the rules of [`parse`].
// `#[inline]`, and `with` called last: a (large) typed response is written
// once, into the caller's place, not moved out of nested `Result`s.
#[inline]
fn decoded<T>(
    query: &str,
    with: impl FnOnce(BTreeMap<Cow<'_, str>, Cow<'_, str>>) -> Result<T, Error>,
) -> Result<T, Error> {
    with(pairs(&separators_decoded(query)?, Repeats::AllowIdentical)?)
}

/// The query with its separators decoded, when they arrived as `%26`
/// (iOS app-scheme returns); otherwise the query as it is.
fn separators_decoded(query: &str) -> Result<std::borrow::Cow<'_, str>, Error> {
    if query.bytes().any(|b| b == b'&') || !query.contains("%26") {
        return Ok(query.into());
    }
    let decoded = percent_encoding::percent_decode_str(query)
        .decode_utf8()
        .map_err(|_| Error::new(ErrorKind::Syntax, "the percent-decoded query is not UTF-8"))?;
    let joined = REDIRECT_KEYS
        .iter()
        .any(|key| decoded.contains(&format!("&{key}=")));
    Ok(if joined {
        decoded.into_owned().into()
    } else {
        query.into()
    })
}

/// Whether a key may appear twice with the same value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Repeats {
    /// Browsers' redirects; `m_redirect_url` takes the rest of the query.
    AllowIdentical,
    /// Server-to-server bodies (webhooks): any repeat is an error.
    Refuse,
}

/// [`parse`] with a rule for repeated keys.
pub(crate) fn parse_with(
    query: &str,
    repeats: Repeats,
) -> Result<BTreeMap<String, KeptValue>, Error> {
    pairs(query, repeats).map(owned)
}

/// Decoded pairs as an object of owned strings.
fn owned(pairs: BTreeMap<Cow<'_, str>, Cow<'_, str>>) -> BTreeMap<String, KeptValue> {
    pairs
        .into_iter()
        .map(|(key, value)| (key.into_owned(), KeptValue::from(value.into_owned())))
        .collect()
}

/// A redirect's decoded parameters, by key, borrowed from the query where
/// nothing was encoded (decoded by the rules of this module's `parse`).
pub struct QueryPairs<'q>(BTreeMap<Cow<'q, str>, Cow<'q, str>>);

/// Runs `parse` over a redirect query's decoded parameters.
#[inline]
pub fn parse_pairs<T>(
    query: &str,
    parse: impl FnOnce(&QueryPairs<'_>) -> Result<T, Error>,
) -> Result<T, Error> {
    decoded(query, |pairs| parse(&QueryPairs(pairs)))
}

impl QueryPairs<'_> {
    /// Reads the parameters with `visitor` as a map of strings, in key
    /// order. The error type is serde_json's, so a visitor's value readers
    /// are the ones the JSON reader already compiled; only the map walk is
    /// new code.
    pub fn visit<'a, V: Visitor<'a>>(&'a self, visitor: V) -> Result<V::Value, serde_json::Error> {
        let mut map = MapDeserializer::new(self.0.iter().map(|(key, value)| {
            (
                BorrowedStrDeserializer::new(key.as_ref()),
                BorrowedStrDeserializer::new(value.as_ref()),
            )
        }));
        let value = visitor.visit_map(&mut map)?;
        map.end()?;
        Ok(value)
    }

    /// Runs `parse` (a typed parse of a body) over the parameters written as
    /// the JSON object of strings they stand for, keys in order. Errors have
    /// no position: the text is not what was received.
    pub fn parse_as_json<T>(
        &self,
        parse: impl FnOnce(&[u8]) -> Result<T, Error>,
    ) -> Result<T, Error> {
        parse(&self.to_json()?).map_err(Error::without_position)
    }

    fn to_json(&self) -> Result<Vec<u8>, Error> {
        let size: usize = self.0.iter().map(|(k, v)| k.len() + v.len() + 6).sum();
        let mut json = Vec::with_capacity(size + 2);
        serde_json::to_writer(&mut json, &self.0)
            .map(|()| json)
            .map_err(|e| Error::from_json(&e, ErrorKind::InvalidValue))
    }
}

/// The decoded pairs of a query, by key, borrowed where nothing was encoded.
fn pairs(query: &str, repeats: Repeats) -> Result<BTreeMap<Cow<'_, str>, Cow<'_, str>>, Error> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut fields = BTreeMap::new();
    let bytes = query.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // One scan of the pair: where it ends, where its first `=` is, and
        // whether its key or value has anything to decode.
        let (mut end, mut eq, mut encoded_key, mut encoded_value) = (at, None, false, false);
        while end < bytes.len() {
            match bytes[end] {
                b'&' => break,
                b'=' if eq.is_none() => eq = Some(end),
                b'+' | b'%' if eq.is_none() => encoded_key = true,
                b'+' | b'%' => encoded_value = true,
                _ => {}
            }
            end += 1;
        }
        let pair = at..end;
        at = end + 1;
        if pair.is_empty() {
            continue;
        }
        let (key, value) = match eq {
            Some(eq) => (&query[pair.start..eq], &query[eq + 1..pair.end]),
            None => (&query[pair], ""),
        };
        let key = match encoded_key {
            true => decode(key, None)?,
            false => Cow::Borrowed(key),
        };
        let value = match eq {
            // The nested URL's own `&`s: everything after its `=` is its value.
            Some(eq) if key == NESTED_URL && repeats == Repeats::AllowIdentical => {
                at = bytes.len();
                decode(&query[eq + 1..], Some(&key))?
            }
            _ if encoded_value => decode(value, Some(&key))?,
            _ => Cow::Borrowed(value),
        };
        match fields.entry(key) {
            btree_map::Entry::Vacant(slot) => {
                slot.insert(value);
            }
            btree_map::Entry::Occupied(first)
                if *first.get() == value && repeats == Repeats::AllowIdentical => {}
            btree_map::Entry::Occupied(first) => {
                return Err(Error::new(
                    ErrorKind::DuplicateField,
                    "duplicate field: received twice",
                )
                .with_field(first.key().clone().into_owned()));
            }
        }
    }
    Ok(fields)
}

/// The value of the parameter `name` in a query string (a leading `?` is
/// ignored), keys and values decoded as `parse` decodes them; `None` when it
/// is absent. Repeated with the same value it is read once; with another
/// value it is a [`ErrorKind::DuplicateField`] error, as in a redirect: the
/// first of two PGs is no more the request's than the second. For a
/// request's own parameters (the callback's `pg`), which follow none of a
/// redirect's other rules.
pub fn param(query: &str, name: &str) -> Result<Option<String>, Error> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut found: Option<Cow<'_, str>> = None;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if decode(key, None)? != name {
            continue;
        }
        let value = decode(value, Some(name))?;
        match &found {
            None => found = Some(value),
            Some(first) if *first == value => {}
            Some(_) => {
                return Err(Error::new(
                    ErrorKind::DuplicateField,
                    "duplicate field: received twice with different values",
                )
                .with_field(name.to_owned()));
            }
        }
    }
    Ok(found.map(Cow::into_owned))
}

/// Percent-decodes one key or value; `key` names the value's key in errors.
fn decode<'q>(text: &'q str, key: Option<&str>) -> Result<Cow<'q, str>, Error> {
    let invalid = |message: String| {
        let error = Error::new(ErrorKind::Syntax, message);
        match key {
            Some(key) => error.with_field(key.to_owned()),
            None => error,
        }
    };
    let bytes = text.as_bytes();
    // Most keys and values have neither `+` nor `%`: one scan, one copy.
    let Some(first) = bytes.iter().position(|b| matches!(b, b'+' | b'%')) else {
        return Ok(Cow::Borrowed(text));
    };
    let mut decoded = Vec::with_capacity(bytes.len());
    decoded.extend_from_slice(&bytes[..first]);
    let mut at = first;
    while at < bytes.len() {
        match bytes[at] {
            b'+' => decoded.push(b' '),
            b'%' => {
                let byte = bytes
                    .get(at + 1..at + 3)
                    .and_then(|hex| Some(hex_value(hex[0])? << 4 | hex_value(hex[1])?));
                let Some(byte) = byte else {
                    return Err(invalid(format!(
                        "malformed percent-encoding at byte {at}: `%` must be followed by two hex digits"
                    )));
                };
                decoded.push(byte);
                at += 2;
            }
            other => decoded.push(other),
        }
        at += 1;
    }
    String::from_utf8(decoded)
        .map(Cow::Owned)
        .map_err(|_| invalid("the percent-decoded bytes are not UTF-8".to_owned()))
}

/// The value of one hex digit.
fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_pairs_into_strings() {
        let fields = parse("?imp_uid=imp_1&merchant_uid=order%2F7&success=true&error_msg=%EC%B7%A8%EC%86%8C+%ED%95%A8&flag").unwrap();
        let text = |key: &str| fields[key].as_str().unwrap();
        assert_eq!(text("imp_uid"), "imp_1");
        assert_eq!(text("merchant_uid"), "order/7");
        assert_eq!(text("success"), "true");
        assert_eq!(text("error_msg"), "취소 함");
        assert_eq!(text("flag"), "");
        assert!(parse("").unwrap().is_empty());
        assert_eq!(parse("a=1&&b=2&").unwrap().len(), 2);
    }

    #[test]
    fn one_parameter_is_found_and_decoded_like_the_rest() {
        assert_eq!(
            param("?a=1&pg=kcp.T0000", "pg").unwrap().as_deref(),
            Some("kcp.T0000")
        );
        assert_eq!(
            param("p%67=html5%5Finicis&pg=html5_inicis", "pg")
                .unwrap()
                .as_deref(),
            Some("html5_inicis")
        );
        for conflicting in [
            "pg=kcp&pg=tosspayments",
            "pg=kcp&a=1&p%67=kcp.T0000",
            "pg=kcp&pg",
        ] {
            let err = param(conflicting, "pg").unwrap_err();
            assert_eq!(
                (err.kind(), err.field()),
                (ErrorKind::DuplicateField, Some("pg")),
                "{conflicting}"
            );
        }
        assert_eq!(param("a=1", "pg").unwrap(), None);
        let err = param("pg=no%ZZpg", "pg").unwrap_err();
        assert_eq!((err.kind(), err.field()), (ErrorKind::Syntax, Some("pg")));
    }

    #[test]
    fn the_json_form_holds_the_same_strings_in_the_same_order() {
        let query = "?z=1&merchant_uid=%22o%5C1%22&error_msg=a%0Ab%09%01&imp_uid=imp_1&imp_uid=imp_1&name=%ED%95%9C";
        let to_json = |query| parse_pairs(query, |pairs| pairs.to_json());
        let json = to_json(query).unwrap();
        let object: serde_json::Map<String, serde_json::Value> =
            serde_json::from_slice(&json).unwrap();
        let from_map: Vec<(String, String)> = parse(query)
            .unwrap()
            .into_iter()
            .map(|(key, value)| (key, value.as_str().unwrap().to_owned()))
            .collect();
        let from_json: Vec<(String, String)> = object
            .into_iter()
            .map(|(key, value)| (key, value.as_str().unwrap().to_owned()))
            .collect();
        assert_eq!(from_json, from_map);
        assert_eq!(from_map[0], ("error_msg".into(), "a\nb\t\u{1}".into()));
        assert!(to_json("imp_uid=a&imp_uid=b").is_err());
        assert_eq!(to_json("").unwrap(), b"{}");
    }

    #[test]
    fn repeated_keys_must_agree() {
        assert_eq!(parse("imp_uid=a&imp_uid=a").unwrap().len(), 1);
        let err = parse("imp_uid=a&imp_uid=b").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateField);
        assert_eq!(err.field(), Some("imp_uid"));
    }

    #[test]
    fn malformed_escapes_and_bad_utf8_are_errors() {
        for bad in ["a=%", "a=%4", "a=%zz", "%g1=x"] {
            let err = parse(bad).unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Syntax, "{bad}");
        }
        let err = parse("error_msg=%FF%FE").unwrap_err();
        assert_eq!(err.field(), Some("error_msg"));
    }
}
