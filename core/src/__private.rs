//! Support for the code portone-pg-macros generates. Not a public API: names
//! and signatures here change without notice.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};
use std::collections::BTreeMap;

pub use crate::codes::{Code, deserialize_code, deserialize_code_field};
pub use crate::entry::{AsEntry, Entry, serialize_object};
use crate::error::{Error, ErrorKind};
pub use crate::field::FieldValue;
use crate::field::is_null_text;
pub use crate::kept::KeptValue;
use crate::outcome::Outcome;
pub use crate::scan::{TagScan, position_of, scan_tag};
use crate::unknown::{UnknownResponse, mismatch};
pub use serde;
pub use serde_json;

/// What the generated code knows about one PG at run time.
#[derive(Debug)]
pub struct PgTable {
    /// The `pg_provider` code.
    pub code: &'static str,
    /// Other spellings of the code that name this PG too.
    pub aliases: &'static [&'static str],
    /// Bit `i` is set when the PG lists catalogue field `i`.
    pub accepts: &'static [u64],
}

impl PgTable {
    /// Whether `code` names this PG.
    pub fn is_named(&self, code: &str) -> bool {
        code == self.code || self.aliases.contains(&code)
    }

    /// Whether the PG lists catalogue field `id`.
    #[inline]
    pub fn accepts(&self, id: u16) -> bool {
        let id = usize::from(id);
        self.accepts
            .get(id / 64)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }
}

/// A top-level key: a catalogue field (its id and the exact name matched,
/// which may be an alias) or any other key.
pub enum Key {
    /// Catalogue field `id`, received under `name`.
    Known(u16, &'static str),
    /// A key the catalogue does not know.
    Unknown(String),
}

/// Reads a key and looks it up in the catalogue without allocating for known keys.
pub struct KeySeed(pub fn(&str) -> Option<(u16, &'static str)>);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Key, E> {
        Ok(match (self.0)(v) {
            Some((id, name)) => Key::Known(id, name),
            None => Key::Unknown(v.to_owned()),
        })
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Key, E> {
        Ok(match (self.0)(&v) {
            Some((id, name)) => Key::Known(id, name),
            None => Key::Unknown(v),
        })
    }
}

/// A property value read through [`FieldValue`]: `None` for `null` and `"null"`.
pub struct Field<T>(pub Option<T>);

impl<'de, T: FieldValue> de::Deserialize<'de> for Field<T> {
    #[inline]
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        T::deserialize_field(d).map(Field)
    }
}

/// Which catalogue fields have been seen, to refuse duplicates (including a
/// field received under two of its names).
pub struct Seen<const WORDS: usize>([u64; WORDS]);

impl<const WORDS: usize> Seen<WORDS> {
    /// Nothing seen yet.
    pub fn new() -> Self {
        Seen([0; WORDS])
    }

    /// Marks `id` seen; `false` if it already was.
    #[inline]
    pub fn insert(&mut self, id: u16) -> bool {
        let id = usize::from(id);
        let (word, bit) = (id / 64, 1u64 << (id % 64));
        match self.0.get_mut(word) {
            Some(w) if *w & bit == 0 => {
                *w |= bit;
                true
            }
            _ => false,
        }
    }

    /// Whether `id` was seen.
    #[inline]
    pub fn contains(&self, id: u16) -> bool {
        let id = usize::from(id);
        self.0
            .get(id / 64)
            .is_some_and(|word| word & (1 << (id % 64)) != 0)
    }

    /// Whether every id seen is set in `accepts`.
    #[inline]
    pub fn is_within(&self, accepts: &[u64]) -> bool {
        self.0
            .iter()
            .enumerate()
            .all(|(i, word)| word & !accepts.get(i).copied().unwrap_or(0) == 0)
    }
}

impl<const WORDS: usize> Default for Seen<WORDS> {
    fn default() -> Self {
        Self::new()
    }
}

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

    /// The body is not UTF-8 at byte `offset`.
    fn invalid_utf8(self, json: &[u8], offset: usize) -> Error {
        let error = Error::new(
            ErrorKind::Syntax,
            format!("invalid UTF-8: byte 0x{:02x}", json[offset]),
        )
        .with_position(position_of(json, offset));
        self.attribute(error)
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

    /// Turns a serde_json error from a parse of kept fields (not a body's
    /// text) into an [`Error`], without a position.
    pub fn into_fields_error(self, err: &serde_json::Error) -> Error {
        self.into_error(err).without_position()
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

/// Runs `parse` over a JSON body read as text.
///
/// The body is checked to be UTF-8 once, up front: serde_json then reads it
/// as a `str` and skips the per-string check it does on bytes, which is
/// about a sixth of a callback's parse. Bytes that are not UTF-8 are
/// reported where serde_json would: any earlier error in the valid prefix
/// first, else the bad byte's position, with the property being read then.
pub fn parse_text<'a, T>(
    json: &[u8],
    ctx: impl FnOnce() -> ParseCtx<'a>,
    parse: impl FnOnce(&str, &ParseCtx<'a>) -> Result<T, serde_json::Error>,
) -> Result<T, Error> {
    let (text, bad_byte) = match std::str::from_utf8(json) {
        Ok(text) => (text, None),
        Err(e) => {
            let valid = e.valid_up_to();
            // `valid_up_to` bytes are UTF-8 by definition.
            (
                std::str::from_utf8(&json[..valid]).unwrap_or_default(),
                Some(valid),
            )
        }
    };
    let ctx = ctx();
    match (parse(text, &ctx), bad_byte) {
        (Ok(value), None) => Ok(value),
        (Err(e), None) => Err(ctx.into_error(&e)),
        (Err(e), Some(_)) if !e.is_eof() => Err(ctx.into_error(&e)),
        (_, Some(offset)) => Err(ctx.invalid_utf8(json, offset)),
    }
}

/// Adds a key the PG's schema does not list to `extra`, refusing duplicates.
pub fn insert_extra<E: de::Error>(
    ctx: &ParseCtx<'_>,
    extra: &mut BTreeMap<String, KeptValue>,
    key: String,
    value: KeptValue,
) -> Result<(), E> {
    if extra.contains_key(&key) {
        return Err(ctx.duplicate_other(&key));
    }
    extra.insert(key, value);
    Ok(())
}

/// A body of unknown PG whose `field` says `value`, which marks the other flow.
pub fn other_flow_error(field: &'static str, value: &str, noun: &str) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!("`{value}` marks a response of another flow; this parser reads {noun}s"),
    )
    .with_field(field)
}

/// A rule of the PG's schema that a parsed response breaks.
#[derive(Debug)]
pub struct Violation {
    kind: ErrorKind,
    pg: &'static str,
    field: &'static str,
}

impl Violation {
    /// A field the PG always sends is absent or `null`.
    pub fn missing(pg: &'static str, field: &'static str) -> Self {
        Violation {
            kind: ErrorKind::MissingField,
            pg,
            field,
        }
    }

    /// A field the PG always sends on success is absent from a success.
    pub fn incomplete(pg: &'static str, field: &'static str) -> Self {
        Violation {
            kind: ErrorKind::Incomplete,
            pg,
            field,
        }
    }

    /// As an [`Error`].
    pub fn into_error(self) -> Error {
        let message = match self.kind {
            ErrorKind::Incomplete => {
                "the response claims success but lacks this property, which the PG always sends on success; \
                 a redirect (m_redirect_url) carries only the ids and the flag: read the payment with GET /payments/{imp_uid}"
            }
            _ => "missing, but this PG sends it in every response",
        };
        Error::new(self.kind, message)
            .with_pg(self.pg)
            .with_field(self.field)
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::Incomplete => write!(f, "{}: success without `{}`", self.pg, self.field),
            _ => write!(f, "{}: missing field `{}`", self.pg, self.field),
        }
    }
}

/// The first property flagged missing (`(is_missing, name)` pairs in
/// schema order).
pub fn first_missing(fields: &[(bool, &'static str)]) -> &'static str {
    fields
        .iter()
        .find(|(missing, _)| *missing)
        .map_or("", |(_, name)| name)
}

/// `into_success` on a response that does not claim success.
pub fn not_success(pg: &'static str, outcome: &Outcome) -> Error {
    Error::new(
        ErrorKind::NotSuccess,
        format!("the response does not claim success (outcome: {outcome})"),
    )
    .with_pg(pg)
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

/// Decodes a redirect's query string into an object of strings, for the PG
/// code `hint` if the caller gave one.
pub fn parse_query(
    query: &str,
    hint: Option<&str>,
    same_pg: SamePg,
) -> Result<UnknownResponse, Error> {
    UnknownResponse::from_fields(crate::query::parse(query)?, hint, same_pg)
}

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

/// The `Debug` form of a personal-data property: whether it is there, never
/// what it is.
pub struct Redacted(pub bool);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0 { "<redacted>" } else { "None" })
    }
}

/// The `Debug` form of keys kept as received (`extra`, unknown responses):
/// each key with the JSON type of its value, never the value. Such a key may
/// be a personal-data property the PG was not expected to send, or one no
/// schema knows yet; `Serialize` and the maps themselves still hold the
/// values.
pub struct RedactedMap<'a>(pub &'a BTreeMap<String, KeptValue>);

impl fmt::Debug for RedactedMap<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(key, value)| (key, JsonType(value))))
            .finish()
    }
}

struct JsonType<'a>(&'a KeptValue);

impl fmt::Debug for JsonType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.json_type() {
            "null" => f.write_str("null"),
            other => write!(f, "<{other}>"),
        }
    }
}

pub use crate::__open_enum as open_enum;
