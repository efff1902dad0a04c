//! The context of one typed parse: which PG, which property is being read,
//! and what a dispatching parse learned; turning serde errors into [`Error`]s
//! that name both.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde::de;

use super::scan::position_of;
use super::table::PgTable;
use crate::error::{Error, ErrorKind};
use crate::value::{KeptValue, is_null_text};

/// Context of one typed parse: which PG, and which property is being read,
/// so a serde error can be turned into an [`Error`] naming both.
///
/// A dispatching parse starts without a PG and learns it from the tag (or,
/// at the end, from the caller's hint); see
/// [`Learn`](super::dispatch::Learn).
pub struct ParseCtx {
    table: Cell<Option<&'static PgTable>>,
    field: Cell<Option<&'static str>>,
    /// The property being read is personal data.
    personal: Cell<bool>,
    /// A key outside the catalogue that an error is about (set only on error).
    other_key: RefCell<Option<String>>,
    kind: Cell<Option<ErrorKind>>,
}

impl ParseCtx {
    /// A context for parsing a response of `table`'s PG.
    pub fn new(table: &'static PgTable) -> Self {
        Self::with(Some(table))
    }

    /// A context for a parse that learns its PG while reading.
    pub(crate) fn unresolved() -> Self {
        Self::with(None)
    }

    fn with(table: Option<&'static PgTable>) -> Self {
        ParseCtx {
            table: Cell::new(table),
            field: Cell::new(None),
            personal: Cell::new(false),
            other_key: RefCell::new(None),
            kind: Cell::new(None),
        }
    }

    /// The PG is now known.
    pub(crate) fn learned(&self, table: &'static PgTable) {
        self.table.set(Some(table));
    }

    /// The PG's table, once known.
    #[inline]
    pub fn table(&self) -> Option<&'static PgTable> {
        self.table.get()
    }

    /// The value of `field` is being read; `personal` if it is personal
    /// data, whose value an error must not repeat.
    #[inline]
    pub fn enter(&self, field: &'static str, personal: bool) {
        self.field.set(Some(field));
        self.personal.set(personal);
    }

    /// The value was read.
    #[inline]
    pub fn leave(&self) {
        self.field.set(None);
        self.personal.set(false);
    }

    /// Catalogue field `field` seen twice; the second time under `received`
    /// (the field's name or one of its aliases).
    pub fn duplicate<E: de::Error>(&self, field: &'static str, received: &str) -> E {
        self.kind.set(Some(ErrorKind::DuplicateField));
        self.field.set(Some(field));
        if field == received {
            E::custom("duplicate field: received twice")
        } else {
            E::custom(format_args!(
                "duplicate field: received again as `{received}`"
            ))
        }
    }

    /// Catalogue field `field` received under two of its names
    /// (`spellings`, already quoted) with different values.
    pub fn disagree<E: de::Error>(&self, field: &'static str, spellings: &str) -> E {
        self.kind.set(Some(ErrorKind::InvalidValue));
        self.field.set(Some(field));
        E::custom(format_args!(
            "received as two of {spellings} with different values"
        ))
    }

    /// An id holding a control character.
    pub fn not_an_id<E: de::Error>(&self, field: &'static str) -> E {
        self.kind.set(Some(ErrorKind::InvalidValue));
        self.field.set(Some(field));
        E::custom("an id with a control character names no payment")
    }

    /// The property being read says the body belongs to another flow
    /// (`pg_type: "certification"` in a payment response).
    pub fn other_flow<E: de::Error>(&self, value: &str, noun: &str) -> E {
        self.kind.set(Some(ErrorKind::InvalidValue));
        E::custom(format_args!(
            "`{value}` marks a response of another flow; this parser reads {noun}s"
        ))
    }

    /// A key outside the catalogue seen twice.
    pub fn duplicate_other<E: de::Error>(&self, key: &str) -> E {
        self.kind.set(Some(ErrorKind::DuplicateField));
        *self.other_key.borrow_mut() = Some(key.to_owned());
        E::custom("duplicate field: received twice")
    }

    /// Checks a received `pg_provider` against the PG being parsed.
    pub fn check_tag<E: de::Error>(&self, found: Option<&str>) -> Result<(), E> {
        match (found, self.table.get()) {
            (Some(code), Some(table)) if !table.is_named(code) => {
                self.kind.set(Some(ErrorKind::ProviderMismatch));
                Err(E::custom(format_args!(
                    "`{code}` names another PG than {}",
                    table.code
                )))
            }
            _ => Ok(()),
        }
    }

    /// Checks a `pg_provider` the PG does not list (it is kept in `extra`).
    pub fn check_tag_value<E: de::Error>(&self, value: &KeptValue) -> Result<(), E> {
        match value.as_str() {
            None if value.is_null() => Ok(()),
            Some(code) if is_null_text(code) => Ok(()),
            Some(code) => self.check_tag(Some(code)),
            None => Err(E::custom("invalid type: expected a PG code string")),
        }
    }

    /// Names the PG and the property being read, if any, on `error`.
    fn attribute(&self, mut error: Error) -> Error {
        if let Some(table) = self.table.get() {
            error = error.with_pg(table.code);
        }
        let field = self
            .field
            .get()
            .map(Cow::Borrowed)
            .or_else(|| self.other_key.take().map(Cow::Owned));
        match field {
            Some(field) => error.with_field(field),
            None => error,
        }
    }

    /// Turns a serde_json error from this parse into an [`Error`].
    pub fn into_error(self, err: &serde_json::Error) -> Error {
        let has_field = self.field.get().is_some() || self.other_key.borrow().is_some();
        let fallback = match (self.kind.get(), has_field) {
            (Some(kind), _) => kind,
            (None, true) => ErrorKind::InvalidValue,
            (None, false) => ErrorKind::NotAnObject,
        };
        let error = Error::from_json(err, fallback);
        let error = if self.personal.get() {
            error.without_values()
        } else {
            error
        };
        self.attribute(error)
    }
}

/// The JSON reader every body goes through: serde_json over text.
///
/// One reader type for every parse keeps one copy of each visitor in the
/// compiled crate (a second reader over bytes would double them), and
/// reading text lets serde_json skip the per-string UTF-8 check it does on
/// bytes, about a sixth of a callback's parse.
pub type TextDeserializer<'de> = serde_json::Deserializer<serde_json::de::StrRead<'de>>;

/// Why a body did not read.
pub(crate) enum ReadError {
    /// What serde_json reported.
    Json(serde_json::Error),
    /// The body is not UTF-8 there; the error says where.
    NotUtf8(Error),
}

/// Reads a JSON body with `read`, then refuses anything after the value.
///
/// The body is checked to be UTF-8 once, up front, and read as text. Bytes
/// that are not UTF-8 are reported where serde_json would meet them: any
/// earlier error in the valid prefix first, else the bad byte's position.
#[inline]
pub(crate) fn read_json<'de, T>(
    json: &'de [u8],
    read: impl FnOnce(&mut TextDeserializer<'de>) -> Result<T, serde_json::Error>,
) -> Result<T, ReadError> {
    read_text(json, |_, reader| read(reader))
}

/// [`read_json`], where `read` is also given the text being read.
#[inline]
pub(crate) fn read_text<'de, T>(
    json: &'de [u8],
    read: impl FnOnce(&'de str, &mut TextDeserializer<'de>) -> Result<T, serde_json::Error>,
) -> Result<T, ReadError> {
    // Only the call of `read` is generic; the rest is compiled once.
    let (text, bad_byte) = utf8_prefix(json);
    match (read_str(text, read), bad_byte) {
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(ReadError::Json(e)),
        (Err(e), Some(_)) if !e.is_eof() => Err(ReadError::Json(e)),
        (_, Some(offset)) => Err(ReadError::NotUtf8(not_utf8(json, offset))),
    }
}

/// Reads JSON text with `read`, then refuses anything after the value.
#[inline]
pub fn read_str<'de, T>(
    text: &'de str,
    read: impl FnOnce(&'de str, &mut TextDeserializer<'de>) -> Result<T, serde_json::Error>,
) -> Result<T, serde_json::Error> {
    let mut reader = serde_json::Deserializer::from_str(text);
    read(text, &mut reader).and_then(|value| reader.end().map(|()| value))
}

/// The longest UTF-8 prefix of `json`, and where the first byte that is not
/// UTF-8 is, if any.
fn utf8_prefix(json: &[u8]) -> (&str, Option<usize>) {
    match std::str::from_utf8(json) {
        Ok(text) => (text, None),
        Err(e) => {
            let valid = e.valid_up_to();
            // `valid_up_to` bytes are UTF-8 by definition.
            (
                std::str::from_utf8(&json[..valid]).unwrap_or_default(),
                Some(valid),
            )
        }
    }
}

/// The error for the byte at `offset`, which is not UTF-8.
fn not_utf8(json: &[u8], offset: usize) -> Error {
    Error::new(
        ErrorKind::Syntax,
        format!("invalid UTF-8: byte 0x{:02x}", json[offset]),
    )
    .with_position(position_of(json, offset))
}

/// An already-decoded object (a redirect's parameters, a form body, a
/// response kept whole) written back as JSON text, for the one reader: kept
/// values write their exact text, so nothing changes on the way.
pub(crate) fn fields_json(fields: &BTreeMap<String, KeptValue>) -> Result<Vec<u8>, Error> {
    serde_json::to_vec(fields)
        .map_err(|e| Error::from_json(&e, ErrorKind::InvalidValue).without_position())
}

/// Runs `parse` over a JSON body read as text (see `read_json`); an
/// error names the PG and the property being read.
pub fn parse_text<T>(
    json: &[u8],
    ctx: impl FnOnce() -> ParseCtx,
    parse: impl FnOnce(&mut TextDeserializer<'_>, &ParseCtx) -> Result<T, serde_json::Error>,
) -> Result<T, Error> {
    let ctx = ctx();
    match read_json(json, |reader| parse(reader, &ctx)) {
        Ok(value) => Ok(value),
        Err(ReadError::Json(e)) => Err(ctx.into_error(&e)),
        Err(ReadError::NotUtf8(error)) => Err(ctx.attribute(error)),
    }
}

/// Runs `parse` over an already-decoded object (a redirect's parameters, a
/// response kept whole), written back as JSON text so that it goes through
/// the one reader a body goes through. Errors name the PG and the property
/// but have no position: the text is not what was received.
pub fn parse_fields<T>(
    fields: &BTreeMap<String, KeptValue>,
    ctx: impl FnOnce() -> ParseCtx,
    parse: impl FnOnce(&mut TextDeserializer<'_>, &ParseCtx) -> Result<T, serde_json::Error>,
) -> Result<T, Error> {
    parse_text(&fields_json(fields)?, ctx, parse).map_err(Error::without_position)
}

/// Adds a key the PG's schema does not list to `extra`, refusing duplicates.
pub fn insert_extra<E: de::Error>(
    ctx: &ParseCtx,
    extra: &mut Option<BTreeMap<String, KeptValue>>,
    key: String,
    value: KeptValue,
) -> Result<(), E> {
    let extra = extra.get_or_insert_default();
    if extra.contains_key(&key) {
        return Err(ctx.duplicate_other(&key));
    }
    extra.insert(key, value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    static KCP: PgTable = PgTable {
        code: "kcp",
        aliases: &[],
        accepts: &[0b011],
    };

    type E = serde_json::Error;

    #[test]
    fn errors_name_the_pg_the_property_and_leave_personal_values_out() {
        let ctx = ParseCtx::new(&KCP);
        ctx.enter("buyer_name", true);
        let serde_error: E =
            de::Error::custom("invalid value: string \"Hong Gildong\", expected x");
        let err = ctx.into_error(&serde_error);
        assert_eq!((err.pg(), err.field()), (Some("kcp"), Some("buyer_name")));
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        assert!(!err.to_string().contains("Hong"), "{err}");

        let ctx = ParseCtx::new(&KCP);
        let mut extra = None;
        insert_extra::<E>(&ctx, &mut extra, "x".into(), KeptValue::from("1")).unwrap();
        let dup: E = insert_extra(&ctx, &mut extra, "x".into(), KeptValue::from("2")).unwrap_err();
        let err = ctx.into_error(&dup);
        assert_eq!(
            (err.kind(), err.field()),
            (ErrorKind::DuplicateField, Some("x"))
        );
    }

    #[test]
    fn bytes_that_are_not_utf8_are_reported_where_they_are() {
        let json = b"{\"a\":\n\"\xff\"}";
        let err = parse_text(
            json,
            || ParseCtx::new(&KCP),
            |reader, _| serde::Deserialize::deserialize(reader).map(|_: serde_json::Value| ()),
        )
        .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Syntax);
        let position = err.position().unwrap();
        assert_eq!((position.line, position.column), (2, 2));
        assert_eq!(err.pg(), Some("kcp"));
        // An earlier error in the valid prefix comes first.
        let err = parse_text(
            b"{x\xff",
            || ParseCtx::new(&KCP),
            |reader, _| serde::Deserialize::deserialize(reader).map(|_: serde_json::Value| ()),
        )
        .unwrap_err();
        assert_eq!(err.position().map(|p| p.column), Some(2));
    }
}
