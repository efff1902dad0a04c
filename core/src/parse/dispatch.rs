//! The dispatch of a response to its PG's type: one algorithm for every
//! generated dispatcher, which supplies the PG-specific steps through
//! [`Dispatch`].
//!
//! The algorithm: one typed parse that learns the PG from the tag (or the
//! request's `pg`) as it reads; where that cannot decide alone, a scan for
//! the tag and one more typed parse; a body of no PG the dispatcher has a
//! schema for goes to its fallback, which keeps every key.

use std::cell::Cell;

use serde::de;

use super::compact::Readers;
use super::ctx::{ParseCtx, TextDeserializer, parse_fields, parse_text};
use super::query::QueryPairs;
use super::scan::{TagScan, guess_tag, position_of, scan_tag};
use super::table::{PgTable, Seen};
use crate::error::{Error, ErrorKind};
use crate::unknown::UnknownResponse;
use crate::value::is_null_text;

/// The key that names the PG in a response body.
pub(crate) const TAG_KEY: &str = "pg_provider";

/// What a generated dispatcher supplies to the dispatch: how its PGs are
/// named, found and compared, how its catalogue visitor reads a body, and
/// how it builds a response from filled slots or from a body it has no
/// schema for.
pub trait Dispatch: Sized {
    /// A PG code as the dispatcher knows it (`PgProvider`).
    type Code;
    /// The flow's catalogue-wide slots, one per catalogue field.
    type Slots: Default;
    /// Whether [`read`](Self::read) can learn the PG while it reads (the
    /// one-pass path); a dispatcher without it always scans for the tag.
    const ONE_PASS: bool;

    /// The code a body's tag or a request's `pg` names (aliases resolved).
    fn code(text: &str) -> Self::Code;
    /// The code's text.
    fn code_text(code: &Self::Code) -> &str;
    /// The request's `pg` parameter (`"kcp.T0000"`) as a code.
    fn hint(pg: &str) -> Result<Self::Code, Error>;
    /// The variant index and table of a PG with a schema here.
    fn resolve(code: &Self::Code) -> Option<(u16, &'static PgTable)>;
    /// Whether a body naming `body` answers a request made for `hint`: the
    /// same PG, or a related module of the same provider.
    fn same_pg(hint: &Self::Code, body: &Self::Code) -> bool;
    /// Runs the catalogue visitor over `reader`; with `learn`, the PG is
    /// learned from the tag (or the hint) while reading.
    fn read(
        reader: &mut TextDeserializer<'_>,
        ctx: &ParseCtx,
        learn: Option<&Learn<'_, Self>>,
        slots: &mut Self::Slots,
    ) -> Result<(), serde_json::Error>;
    /// Runs the catalogue visitor over a redirect's decoded pairs, learning
    /// the PG (only called when [`ONE_PASS`](Self::ONE_PASS) is set; a
    /// dispatcher without it reads a redirect through its JSON form).
    fn read_pairs(
        pairs: &QueryPairs<'_>,
        ctx: &ParseCtx,
        learn: &Learn<'_, Self>,
        slots: &mut Self::Slots,
    ) -> Result<(), serde_json::Error> {
        let _ = (pairs, ctx, learn, slots);
        Err(de::Error::custom("this dispatcher has no one-pass parse"))
    }
    /// The response of the PG at `index` (as [`resolve`](Self::resolve)
    /// numbers them) from a body received for it, read by that PG's own
    /// compact parser (a PG with only a few properties has one); where it
    /// has none, or where the body does not read as that PG's alone (it
    /// names another PG, or an error stops the parse), the rest of the
    /// dispatch, `otherwise`, decides and words every case. `readers` are
    /// the JSON readers the compact parse may use.
    fn read_compact(
        index: u16,
        text: &str,
        readers: Readers,
        otherwise: impl FnOnce() -> Result<Self, Error>,
    ) -> Result<Self, Error> {
        let _ = (index, text, readers);
        otherwise()
    }
    /// The response of the PG at `index` (as [`resolve`](Self::resolve)
    /// numbers them), built from the slots a parse filled.
    fn from_slots(index: u16, slots: &mut Self::Slots) -> Result<Self, Error>;
    /// An object of no PG this dispatcher has a schema for, kept whole.
    fn keep(unknown: UnknownResponse) -> Result<Self, Error>;
    /// A body of no PG this dispatcher has a schema for (or one the scan
    /// could not read): by default every key kept, then typed if the object
    /// names one of its PGs after all. (A body whose tag the one pass found
    /// naming a PG without a schema is kept that default way.)
    fn fallback(json: &[u8], hint: Option<&Self::Code>) -> Result<Self, Error> {
        from_unknown(parse_unknown::<Self>(json, hint)?)
    }
}

/// What a one-pass parse decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnePass {
    /// The body is the PG of this variant index; the slots are filled.
    Parsed(u16),
    /// The body's tag names a PG without a schema: it goes to the fallback,
    /// whatever else it holds.
    NoSchema,
    /// The two-pass path must decide.
    Undecided,
}

/// A parse that learns its PG while reading: the first tag names it
/// (checked against the hint), else the hint does at the end. The parse
/// gives up, with an error, when the PG has no table or a property already
/// read is one the PG does not list; the two-pass path then decides every
/// such case and words the error.
pub struct Learn<'a, D: Dispatch> {
    hint: Option<&'a D::Code>,
    /// The variant index of the PG found.
    resolved: Cell<Option<u16>>,
    /// The tag named a PG without a schema.
    no_schema: Cell<bool>,
}

impl<'a, D: Dispatch> Learn<'a, D> {
    fn new(hint: Option<&'a D::Code>) -> Self {
        Learn {
            hint,
            resolved: Cell::new(None),
            no_schema: Cell::new(false),
        }
    }

    /// Learns the PG from the tag's value (`None` for `null`, which names no
    /// PG) or, `at_end` of the object, from the hint, and sets it on `ctx`.
    /// `seen` holds every catalogue field read so far; all must be fields the
    /// PG lists, since they were read as typed values.
    pub fn resolve<E: de::Error, const WORDS: usize>(
        &self,
        ctx: &ParseCtx,
        tag: Option<&D::Code>,
        seen: &Seen<WORDS>,
        at_end: bool,
    ) -> Result<Option<&'static PgTable>, E> {
        let code = match (tag, self.hint) {
            (Some(body), Some(hint)) if !D::same_pg(hint, body) => {
                return Err(E::custom("the body names another PG than the request"));
            }
            (Some(body), _) => body,
            (None, Some(hint)) if at_end => hint,
            (None, _) if at_end => return Err(E::custom("no PG named")),
            (None, _) => return Ok(None),
        };
        let Some((index, table)) = D::resolve(code) else {
            self.no_schema.set(tag.is_some());
            return Err(E::custom("a PG without a schema"));
        };
        if !seen.is_within(table.accepts) {
            return Err(E::custom("a property the PG does not list came first"));
        }
        ctx.learned(table);
        self.resolved.set(Some(index));
        Ok(Some(table))
    }

    fn decided(&self, completed: bool) -> OnePass {
        match (self.no_schema.get(), completed, self.resolved.get()) {
            (true, _, _) => OnePass::NoSchema,
            (false, true, Some(index)) => OnePass::Parsed(index),
            _ => OnePass::Undecided,
        }
    }
}

/// Parses a JSON body received for `hint` (if the caller knows the request's
/// `pg`) into the dispatcher's response.
#[inline]
pub fn dispatch<D: Dispatch>(json: &[u8], hint: Option<&D::Code>) -> Result<D, Error> {
    dispatch_with(json, hint, D::ONE_PASS)
}

/// [`dispatch`], with or without its one-pass fast path (the tests check
/// that both give the same result).
// Every exit returns a callee's result of this same type, so the (large)
// response is built once, in the caller's place, rather than moved out of an
// `Option` on the way.
#[inline]
pub fn dispatch_with<D: Dispatch>(
    json: &[u8],
    hint: Option<&D::Code>,
    one_pass: bool,
) -> Result<D, Error> {
    match (one_pass, std::str::from_utf8(json)) {
        (true, Ok(text)) => match hint.and_then(D::resolve) {
            // A body received for a PG with a compact parser: its few slots,
            // not the catalogue's.
            Some((index, _)) => D::read_compact(index, text, Readers::FlatFirst, || {
                dispatch_text(json, text, hint)
            }),
            None => dispatch_text(json, text, hint),
        },
        _ => dispatch_two_pass(json, hint),
    }
}

/// The one pass, and where it cannot decide alone, the two-pass path.
fn dispatch_text<D: Dispatch>(json: &[u8], text: &str, hint: Option<&D::Code>) -> Result<D, Error> {
    if let Some(kept) = keep_if_no_schema(text, hint) {
        return kept;
    }
    let mut slots = D::Slots::default();
    match one_pass_text::<D>(text, hint, &mut slots) {
        OnePass::Parsed(index) => D::from_slots(index, &mut slots),
        OnePass::NoSchema => keep_text(text, hint),
        OnePass::Undecided => dispatch_two_pass(json, hint),
    }
}

/// The two-pass path: the tag found by a scan, then one typed parse.
fn dispatch_two_pass<D: Dispatch>(json: &[u8], hint: Option<&D::Code>) -> Result<D, Error> {
    match route::<D>(json, hint)? {
        Some((index, table)) => {
            let mut slots = D::Slots::default();
            parse_text(
                json,
                || ParseCtx::new(table),
                |reader, ctx| D::read(reader, ctx, None, &mut slots),
            )?;
            D::from_slots(index, &mut slots)
        }
        None => D::fallback(json, hint),
    }
}

/// The one-pass parse alone: the PG learned while reading.
fn one_pass_text<D: Dispatch>(text: &str, hint: Option<&D::Code>, slots: &mut D::Slots) -> OnePass {
    let ctx = ParseCtx::unresolved();
    let learn = Learn::<D>::new(hint);
    let mut reader = serde_json::Deserializer::from_str(text);
    let completed = D::read(&mut reader, &ctx, Some(&learn), slots)
        .and_then(|()| reader.end())
        .is_ok();
    learn.decided(completed)
}

/// A redirect's parameters: typed straight from the pairs when the one pass
/// decides, else as their JSON form by the body's dispatch (which then
/// decides and words every case).
pub fn dispatch_query<D: Dispatch>(
    pairs: &QueryPairs<'_>,
    hint: Option<&D::Code>,
) -> Result<D, Error> {
    if D::ONE_PASS {
        let mut slots = D::Slots::default();
        let ctx = ParseCtx::unresolved();
        let learn = Learn::<D>::new(hint);
        let completed = D::read_pairs(pairs, &ctx, &learn, &mut slots).is_ok();
        if let OnePass::Parsed(index) = learn.decided(completed) {
            return D::from_slots(index, &mut slots);
        }
    }
    pairs.parse_as_json(|json| dispatch(json, hint))
}

/// A body whose tag, as [`guess_tag`] finds it, names a PG without a
/// schema: kept whole before any of its values is read as a typed one,
/// which would be thrown away. `None` (the one pass decides) unless the
/// object reads and its own top-level tag is the one guessed; an error is
/// left for the one pass to word as it always does.
fn keep_if_no_schema<D: Dispatch>(text: &str, hint: Option<&D::Code>) -> Option<Result<D, Error>> {
    let guess = guess_tag(text).filter(|code| !is_null_text(code))?;
    if D::resolve(&D::code(guess)).is_some() {
        return None;
    }
    let unknown = read_text_unknown::<D>(text, hint).ok()?;
    (unknown.pg_provider() == Some(guess)).then(|| D::keep(unknown))
}

/// A body whose tag names a PG without a schema: kept whole, as the
/// fallback keeps it, from the text the one pass has checked to be UTF-8.
fn keep_text<D: Dispatch>(text: &str, hint: Option<&D::Code>) -> Result<D, Error> {
    from_unknown(read_text_unknown::<D>(text, hint)?)
}

/// Every key of a body known to be UTF-8 kept, checked against the hint.
fn read_text_unknown<D: Dispatch>(
    text: &str,
    hint: Option<&D::Code>,
) -> Result<UnknownResponse, Error> {
    match hint {
        Some(hint) => UnknownResponse::read_str(text, Some(D::code_text(hint)), |body| {
            D::same_pg(hint, &D::code(body))
        }),
        None => UnknownResponse::read_str(text, None, |_| true),
    }
}

/// The PG of a body that the one pass could not decide: its tag, checked
/// against the hint (the body decides when both name a PG and they agree),
/// else the hint. `None` when neither names a PG with a schema here, or the
/// scanner could not read the body (the fallback then decides from a full
/// parse).
fn route<D: Dispatch>(
    json: &[u8],
    hint: Option<&D::Code>,
) -> Result<Option<(u16, &'static PgTable)>, Error> {
    match scan_tag(json, TAG_KEY) {
        // The Flutter bridge's "null" names no PG: it routes as absent.
        TagScan::Found(text) if !is_null_text(&text) => {
            let body = D::code(&text);
            match hint {
                Some(hint) if !D::same_pg(hint, &body) => {
                    let hint = D::code_text(hint);
                    Err(mismatch(hint, &text).with_pg(hint))
                }
                _ => Ok(D::resolve(&body)),
            }
        }
        TagScan::Found(_) | TagScan::Absent => Ok(hint.and_then(D::resolve)),
        TagScan::NotAString { found, offset } => Err(Error::new(
            ErrorKind::InvalidValue,
            format!("invalid type: {found}, expected a PG code string"),
        )
        .with_field(TAG_KEY)
        .with_position(position_of(json, offset))),
        TagScan::Unscannable => Ok(None),
    }
}

/// Types an object read whole: a PG with a schema here gets its type,
/// anything else goes to [`Dispatch::keep`].
pub fn from_unknown<D: Dispatch>(unknown: UnknownResponse) -> Result<D, Error> {
    let resolved = unknown
        .pg_provider()
        .and_then(|code| D::resolve(&D::code(code)));
    match resolved {
        Some((index, table)) => {
            let mut slots = D::Slots::default();
            parse_fields(
                unknown.fields(),
                || ParseCtx::new(table),
                |reader, ctx| D::read(reader, ctx, None, &mut slots),
            )?;
            D::from_slots(index, &mut slots)
        }
        None => D::keep(unknown),
    }
}

/// Every key of a body kept, checked against the hint.
pub fn parse_unknown<D: Dispatch>(
    json: &[u8],
    hint: Option<&D::Code>,
) -> Result<UnknownResponse, Error> {
    match hint {
        Some(hint) => UnknownResponse::read(json, Some(D::code_text(hint)), |body| {
            D::same_pg(hint, &D::code(body))
        }),
        None => UnknownResponse::read(json, None, |_| true),
    }
}

/// An object read whole (a redirect's query, a serde entry point's object)
/// with the request's `pg` as its hint: refused when its own `pg_provider`
/// contradicts it.
pub fn with_hint<D: Dispatch>(
    fields: std::collections::BTreeMap<String, crate::value::KeptValue>,
    hint: Option<&D::Code>,
) -> Result<UnknownResponse, Error> {
    match hint {
        Some(hint) => UnknownResponse::from_fields(fields, Some(D::code_text(hint)), |body| {
            D::same_pg(hint, &D::code(body))
        }),
        None => UnknownResponse::from_fields(fields, None, |_| true),
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

/// The dispatch without its one-pass fast path (a test entry point: both
/// paths must agree on every input).
pub fn two_pass<D: Dispatch>(pg: Option<&str>, json: &[u8]) -> Result<D, Error> {
    let hint = pg.map(D::hint).transpose()?;
    dispatch_with(json, hint.as_ref(), false)
}

/// The one-pass fast path alone: `None` where it leaves the body to the
/// two-pass path (a test entry point).
pub fn one_pass<D: Dispatch>(pg: Option<&str>, json: &[u8]) -> Option<Result<D, Error>> {
    let hint = pg.map(D::hint).transpose().ok()?;
    let text = std::str::from_utf8(json).ok()?;
    let mut slots = D::Slots::default();
    match one_pass_text::<D>(text, hint.as_ref(), &mut slots) {
        OnePass::Parsed(index) => Some(D::from_slots(index, &mut slots)),
        OnePass::NoSchema => Some(keep_text(text, hint.as_ref())),
        OnePass::Undecided => None,
    }
}

/// The compact parse alone, with `readers`, for a body received for `pg`:
/// `None` where it leaves the body to the rest of the dispatch (a test
/// entry point).
pub fn compact<D: Dispatch>(pg: &str, json: &[u8], readers: Readers) -> Option<D> {
    let hint = D::hint(pg).ok()?;
    let (index, _) = D::resolve(&hint)?;
    let text = std::str::from_utf8(json).ok()?;
    let left = || Err(Error::new(ErrorKind::InvalidValue, "left to the dispatch"));
    D::read_compact(index, text, readers, left).ok()
}

/// A redirect typed through its JSON form only, without the fast path over
/// the decoded pairs (a test entry point).
pub fn query_as_json<D: Dispatch>(pg: Option<&str>, query: &str) -> Result<D, Error> {
    let hint = pg.map(D::hint).transpose()?;
    super::query::parse_pairs(query, |pairs| {
        pairs.parse_as_json(|json| dispatch(json, hint.as_ref()))
    })
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

    /// A dispatcher of two PGs whose parse reads nothing.
    #[derive(Debug, PartialEq)]
    enum Toy {
        Typed(u16),
        Kept(Option<String>),
    }

    impl Dispatch for Toy {
        type Code = String;
        type Slots = ();
        const ONE_PASS: bool = false;

        fn code(text: &str) -> String {
            text.to_owned()
        }
        fn code_text(code: &String) -> &str {
            code
        }
        fn hint(pg: &str) -> Result<String, Error> {
            Ok(pg.split('.').next().unwrap_or(pg).to_owned())
        }
        fn resolve(code: &String) -> Option<(u16, &'static PgTable)> {
            match code.as_str() {
                "kcp" => Some((0, &KCP)),
                "tosspayments" => Some((1, &TOSS)),
                _ => None,
            }
        }
        fn same_pg(hint: &String, body: &String) -> bool {
            hint == body || (hint.as_str(), body.as_str()) == ("html5_inicis", "inicis_unified")
        }
        fn read(
            reader: &mut TextDeserializer<'_>,
            _: &ParseCtx,
            _: Option<&Learn<'_, Self>>,
            _: &mut (),
        ) -> Result<(), serde_json::Error> {
            serde::Deserialize::deserialize(reader).map(|_: serde::de::IgnoredAny| ())
        }
        fn from_slots(index: u16, _: &mut ()) -> Result<Self, Error> {
            Ok(Toy::Typed(index))
        }
        fn keep(unknown: UnknownResponse) -> Result<Self, Error> {
            Ok(Toy::Kept(unknown.pg_provider().map(str::to_owned)))
        }
    }

    fn toy(json: &str, pg: Option<&str>) -> Result<Toy, Error> {
        two_pass::<Toy>(pg, json.as_bytes())
    }

    #[test]
    fn the_body_decides_and_the_hint_fills_in() {
        assert_eq!(
            toy(r#"{"pg_provider":"kcp"}"#, None).unwrap(),
            Toy::Typed(0)
        );
        assert_eq!(
            toy(r#"{"pg_provider":"kcp"}"#, Some("kcp")).unwrap(),
            Toy::Typed(0)
        );
        assert_eq!(
            toy(r#"{"imp_uid":"i"}"#, Some("tosspayments")).unwrap(),
            Toy::Typed(1)
        );
        // The Flutter bridge's "null" names no PG.
        assert_eq!(
            toy(r#"{"pg_provider":"null"}"#, Some("kcp")).unwrap(),
            Toy::Typed(0)
        );
        // A related module: the body names the PG that processed it.
        let related = toy(r#"{"pg_provider":"inicis_unified"}"#, Some("html5_inicis"));
        assert_eq!(related.unwrap(), Toy::Kept(Some("inicis_unified".into())));
        assert_eq!(
            toy(r#"{"pg_provider":null}"#, None).unwrap(),
            Toy::Kept(None)
        );
        assert_eq!(
            toy(r#"{"pg_provider":"newpg"}"#, None).unwrap(),
            Toy::Kept(Some("newpg".into()))
        );
    }

    #[test]
    fn contradictions_and_wrong_types_are_errors() {
        let err = toy(r#"{"pg_provider":"nice"}"#, Some("kcp")).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
        assert_eq!((err.pg(), err.field()), (Some("kcp"), Some(TAG_KEY)));
        let err = toy("{\n\"pg_provider\": 5}", None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        let position = err.position().unwrap();
        assert_eq!((position.line, position.column), (2, 16));
        // The scanner cannot read it; the full parse words the error.
        assert_eq!(
            toy(r#"{"pg_provider""#, None).unwrap_err().kind(),
            ErrorKind::Syntax
        );
    }

    type E = serde_json::Error;

    #[test]
    fn a_learning_parse_finds_its_pg_from_the_tag_or_the_hint() {
        let mut seen = Seen::<1>::new();
        seen.insert(1);
        let (ctx, learn) = (ParseCtx::unresolved(), Learn::<Toy>::new(None));
        assert!(
            learn
                .resolve::<E, 1>(&ctx, None, &seen, false)
                .unwrap()
                .is_none()
        );
        let table = learn
            .resolve::<E, 1>(&ctx, Some(&"kcp".into()), &seen, false)
            .unwrap();
        assert_eq!(table.map(|t| t.code), Some("kcp"));
        assert_eq!(ctx.table().map(|t| t.code), Some("kcp"));
        assert_eq!(learn.decided(true), OnePass::Parsed(0));
        assert_eq!(learn.decided(false), OnePass::Undecided);

        // At the end, the hint names the PG.
        let hint = String::from("tosspayments");
        let (ctx, learn) = (ParseCtx::unresolved(), Learn::<Toy>::new(Some(&hint)));
        let table = learn
            .resolve::<E, 1>(&ctx, None, &Seen::new(), true)
            .unwrap();
        assert_eq!(table.map(|t| t.code), Some("tosspayments"));
    }

    #[test]
    fn a_learning_parse_gives_up_where_the_two_pass_path_must_decide() {
        let mut seen = Seen::<1>::new();
        seen.insert(1); // a field tosspayments does not list, read first
        let ctx = ParseCtx::unresolved();
        let learn = Learn::<Toy>::new(None);
        let toss = String::from("tosspayments");
        assert!(
            learn
                .resolve::<E, 1>(&ctx, Some(&toss), &seen, false)
                .is_err()
        );
        assert_eq!(learn.decided(true), OnePass::Undecided);
        // A tag naming a PG without a schema: the fallback's.
        let learn = Learn::<Toy>::new(None);
        let newpg = String::from("newpg");
        assert!(
            learn
                .resolve::<E, 1>(&ctx, Some(&newpg), &Seen::new(), false)
                .is_err()
        );
        assert_eq!(learn.decided(false), OnePass::NoSchema);
        // A body contradicting the hint, and no PG at all.
        let kcp = String::from("kcp");
        let learn = Learn::<Toy>::new(Some(&kcp));
        assert!(
            learn
                .resolve::<E, 1>(&ctx, Some(&toss), &Seen::new(), false)
                .is_err()
        );
        let learn = Learn::<Toy>::new(None);
        assert!(
            learn
                .resolve::<E, 1>(&ctx, None, &Seen::new(), true)
                .is_err()
        );
        assert_eq!(learn.decided(true), OnePass::Undecided);
    }
}
