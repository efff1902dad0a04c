//! Finding the PG of a body before the typed parse (the two-pass path).

use std::borrow::Cow;

use super::scan::{TagScan, position_of, scan_tag};
use crate::error::{Error, ErrorKind};
use crate::value::is_null_text;

/// The key that names the PG in a response body.
pub(crate) const TAG_KEY: &str = "pg_provider";

/// Whether a body's `pg_provider` agrees with the request's `pg` (`hint`,
/// `body`): the same PG, or a related module of the same provider.
pub type SamePg = fn(&str, &str) -> bool;

/// Where the dispatcher should look for the PG.
pub enum Route<'a> {
    /// Parse as the PG with this code (from the body, or the hint when the
    /// body names none).
    Code(Cow<'a, str>),
    /// Neither the body nor the caller names a PG.
    Neither,
    /// The scanner could not read the body; parse it fully and decide from that.
    FullParse,
}

/// Finds the PG for a body: the body's tag, checked against the hint. The
/// body decides when both name a PG and `same_pg` accepts the pair.
pub fn route<'a>(
    json: &'a [u8],
    tag_key: &str,
    hint: Option<&'a str>,
    same_pg: SamePg,
) -> Result<Route<'a>, Error> {
    match scan_tag(json, tag_key) {
        // The Flutter bridge's "null" names no PG: it routes as absent.
        TagScan::Found(body) if !is_null_text(&body) => match hint {
            Some(hint) if !same_pg(hint, &body) => Err(mismatch(hint, &body).with_pg(hint)),
            _ => Ok(Route::Code(body)),
        },
        TagScan::Found(_) | TagScan::Absent => {
            Ok(hint.map_or(Route::Neither, |h| Route::Code(Cow::Borrowed(h))))
        }
        TagScan::NotAString { found, offset } => Err(Error::new(
            ErrorKind::InvalidValue,
            format!("invalid type: {found}, expected a PG code string"),
        )
        .with_field(tag_key)
        .with_position(position_of(json, offset))),
        TagScan::Unscannable => Ok(Route::FullParse),
    }
}

/// The error for a body naming another PG than the request.
pub(crate) fn mismatch(hint: &str, body: &str) -> Error {
    Error::new(
        ErrorKind::ProviderMismatch,
        format!("the body says pg_provider `{body}` but the response was received for `{hint}`"),
    )
    .with_field(TAG_KEY)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(hint: &str, body: &str) -> bool {
        hint == body || (hint, body) == ("html5_inicis", "inicis_unified")
    }

    fn code(json: &str, hint: Option<&str>) -> Result<String, Error> {
        match route(json.as_bytes(), TAG_KEY, hint, same)? {
            Route::Code(code) => Ok(code.into_owned()),
            Route::Neither => Ok("<neither>".into()),
            Route::FullParse => Ok("<full parse>".into()),
        }
    }

    #[test]
    fn the_body_decides_and_the_hint_fills_in() {
        assert_eq!(code(r#"{"pg_provider":"kcp"}"#, None).unwrap(), "kcp");
        assert_eq!(
            code(r#"{"pg_provider":"kcp"}"#, Some("kcp")).unwrap(),
            "kcp"
        );
        assert_eq!(
            code(r#"{"pg_provider":"inicis_unified"}"#, Some("html5_inicis")).unwrap(),
            "inicis_unified"
        );
        assert_eq!(code(r#"{"imp_uid":"i"}"#, Some("ksnet")).unwrap(), "ksnet");
        assert_eq!(
            code(r#"{"pg_provider":"null"}"#, Some("ksnet")).unwrap(),
            "ksnet"
        );
        assert_eq!(code(r#"{"pg_provider":null}"#, None).unwrap(), "<neither>");
        assert_eq!(code(r#"{"pg_provider""#, None).unwrap(), "<full parse>");
    }

    #[test]
    fn contradictions_and_wrong_types_are_errors() {
        let err = code(r#"{"pg_provider":"nice"}"#, Some("kcp")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
        assert_eq!((err.pg(), err.field()), (Some("kcp"), Some(TAG_KEY)));
        let err = code("{\n\"pg_provider\": 5}", None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        let position = err.position().unwrap();
        assert_eq!((position.line, position.column), (2, 16));
    }
}
