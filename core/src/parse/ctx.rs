//! The context of one typed parse: which PG, which property is being read,
//! and what a dispatching parse learned; turning serde errors into [`Error`]s
//! that name both.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;

use serde::de;

use super::route::SamePg;
use super::scan::position_of;
use super::table::{PgTable, Seen};
use crate::error::{Error, ErrorKind};
use crate::value::{KeptValue, is_null_text};

/// Context of one typed parse: which PG, and which property is being read,
/// so a serde error can be turned into an [`Error`] naming both.
///
/// A dispatching parse starts without a PG and learns it from the tag (or,
/// at the end, from the caller's hint); see [`ParseCtx::dispatching`].
pub struct ParseCtx<'a> {
    table: Cell<Option<&'static PgTable>>,
    dispatch: Option<Dispatch<'a>>,
    /// The dispatcher's variant index of the PG found by a dispatching parse.
    resolved: Cell<Option<u16>>,
    /// A dispatching parse met a tag naming a PG without a schema.
    no_schema: Cell<bool>,
    field: Cell<Option<&'static str>>,
    /// The property being read is personal data.
    personal: Cell<bool>,
    /// A key outside the catalogue that an error is about (set only on error).
    other_key: RefCell<Option<String>>,
    kind: Cell<Option<ErrorKind>>,
}

/// What a dispatching parse decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnePass {
    /// The body is the PG of this variant index; the slots are filled.
    Parsed(u16),
    /// The body's tag names a PG without a schema: it is an unknown
    /// response, whatever else it holds.
    NoSchema,
    /// The two-pass path must decide.
    Undecided,
}

/// Finds a PG by its canonical code: the dispatcher's variant index and the
/// PG's table.
pub type Resolve = fn(&str) -> Option<(u16, &'static PgTable)>;

struct Dispatch<'a> {
    hint: Option<&'a str>,
    resolve: Resolve,
    same_pg: SamePg,
}

impl<'a> ParseCtx<'a> {
    /// A context for parsing a response of `table`'s PG.
    pub fn new(table: &'static PgTable) -> Self {
        Self::with(Some(table), None)
    }

    /// A context for parsing a response whose PG is not known yet: the
    /// first tag names it (checked against `hint` with `same_pg`), else the
    /// hint does. The parse gives up, with an error, when the PG has no
    /// table or a property already read is one the PG does not list; the
    /// dispatcher then takes the two-pass path, which decides every such
    /// case and words the error.
    pub fn dispatching(hint: Option<&'a str>, resolve: Resolve, same_pg: SamePg) -> Self {
        Self::with(
            None,
            Some(Dispatch {
                hint,
                resolve,
                same_pg,
            }),
        )
    }

    fn with(table: Option<&'static PgTable>, dispatch: Option<Dispatch<'a>>) -> Self {
        ParseCtx {
            table: Cell::new(table),
            dispatch,
            resolved: Cell::new(None),
            no_schema: Cell::new(false),
            field: Cell::new(None),
            personal: Cell::new(false),
            other_key: RefCell::new(None),
            kind: Cell::new(None),
        }
    }

    /// The PG's table, once known.
    #[inline]
    pub fn table(&self) -> Option<&'static PgTable> {
        self.table.get()
    }

    /// What a dispatching parse decided, given whether it ran to the end.
    pub fn one_pass(&self, completed: bool) -> OnePass {
        match (self.no_schema.get(), completed, self.resolved.get()) {
            (true, _, _) => OnePass::NoSchema,
            (false, true, Some(index)) => OnePass::Parsed(index),
            _ => OnePass::Undecided,
        }
    }

    /// Learns the PG of a dispatching parse from the tag's value (`None`
    /// for `null`, which names no PG) or, at the end of the object, from the
    /// hint. `seen` holds every catalogue field read so far; all must be
    /// fields the PG lists, since they were read as typed values.
    pub fn resolve<E: de::Error, const WORDS: usize>(
        &self,
        tag: Option<&str>,
        seen: &Seen<WORDS>,
        at_end: bool,
    ) -> Result<Option<&'static PgTable>, E> {
        let Some(dispatch) = &self.dispatch else {
            return Ok(self.table.get());
        };
        let code = match (tag, dispatch.hint) {
            (Some(body), Some(hint)) if !(dispatch.same_pg)(hint, body) => {
                return Err(E::custom("the body names another PG than the request"));
            }
            (Some(body), _) => body,
            (None, Some(hint)) if at_end => hint,
            (None, _) if at_end => return Err(E::custom("no PG named")),
            (None, _) => return Ok(None),
        };
        let Some((index, table)) = (dispatch.resolve)(code) else {
            self.no_schema.set(tag.is_some());
            return Err(E::custom("a PG without a schema"));
        };
        if !seen.is_within(table.accepts) {
            return Err(E::custom("a property the PG does not list came first"));
        }
        self.table.set(Some(table));
        self.resolved.set(Some(index));
        Ok(Some(table))
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
    // Only the call of `read` is generic; the rest is compiled once.
    let (text, bad_byte) = utf8_prefix(json);
    let mut reader = serde_json::Deserializer::from_str(text);
    match (
        read(&mut reader).and_then(|value| reader.end().map(|()| value)),
        bad_byte,
    ) {
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(ReadError::Json(e)),
        (Err(e), Some(_)) if !e.is_eof() => Err(ReadError::Json(e)),
        (_, Some(offset)) => Err(ReadError::NotUtf8(not_utf8(json, offset))),
    }
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
pub fn parse_text<'a, T>(
    json: &[u8],
    ctx: impl FnOnce() -> ParseCtx<'a>,
    parse: impl FnOnce(&mut TextDeserializer<'_>, &ParseCtx<'a>) -> Result<T, serde_json::Error>,
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
pub fn parse_fields<'a, T>(
    fields: &BTreeMap<String, KeptValue>,
    ctx: impl FnOnce() -> ParseCtx<'a>,
    parse: impl FnOnce(&mut TextDeserializer<'_>, &ParseCtx<'a>) -> Result<T, serde_json::Error>,
) -> Result<T, Error> {
    parse_text(&fields_json(fields)?, ctx, parse).map_err(Error::without_position)
}

/// Adds a key the PG's schema does not list to `extra`, refusing duplicates.
pub fn insert_extra<E: de::Error>(
    ctx: &ParseCtx<'_>,
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
    static TOSS: PgTable = PgTable {
        code: "tosspayments",
        aliases: &[],
        accepts: &[0b001],
    };

    fn resolve(code: &str) -> Option<(u16, &'static PgTable)> {
        match code {
            "kcp" => Some((0, &KCP)),
            "tosspayments" => Some((1, &TOSS)),
            _ => None,
        }
    }

    fn same(hint: &str, body: &str) -> bool {
        hint == body
    }

    type E = serde_json::Error;

    #[test]
    fn a_dispatching_parse_learns_its_pg_from_the_tag_or_the_hint() {
        let mut seen = Seen::<1>::new();
        seen.insert(1);
        let ctx = ParseCtx::dispatching(None, resolve, same);
        assert!(ctx.resolve::<E, 1>(None, &seen, false).unwrap().is_none());
        let table = ctx.resolve::<E, 1>(Some("kcp"), &seen, false).unwrap();
        assert_eq!(table.map(|t| t.code), Some("kcp"));
        assert_eq!(ctx.one_pass(true), OnePass::Parsed(0));
        assert_eq!(ctx.one_pass(false), OnePass::Undecided);

        // At the end, the hint names the PG.
        let ctx = ParseCtx::dispatching(Some("tosspayments"), resolve, same);
        let table = ctx.resolve::<E, 1>(None, &Seen::new(), true).unwrap();
        assert_eq!(table.map(|t| t.code), Some("tosspayments"));
    }

    #[test]
    fn a_dispatching_parse_gives_up_where_the_two_pass_path_must_decide() {
        let mut seen = Seen::<1>::new();
        seen.insert(1); // a field tosspayments does not list, read first
        let ctx = ParseCtx::dispatching(None, resolve, same);
        assert!(
            ctx.resolve::<E, 1>(Some("tosspayments"), &seen, false)
                .is_err()
        );
        assert_eq!(ctx.one_pass(true), OnePass::Undecided);
        // A tag naming a PG without a schema: an unknown response.
        let ctx = ParseCtx::dispatching(None, resolve, same);
        assert!(
            ctx.resolve::<E, 1>(Some("newpg"), &Seen::new(), false)
                .is_err()
        );
        assert_eq!(ctx.one_pass(false), OnePass::NoSchema);
        // A body contradicting the hint, and no PG at all.
        let ctx = ParseCtx::dispatching(Some("kcp"), resolve, same);
        assert!(
            ctx.resolve::<E, 1>(Some("tosspayments"), &Seen::new(), false)
                .is_err()
        );
        let ctx = ParseCtx::dispatching(None, resolve, same);
        assert!(ctx.resolve::<E, 1>(None, &Seen::new(), true).is_err());
        assert_eq!(ctx.one_pass(true), OnePass::Undecided);
    }

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
