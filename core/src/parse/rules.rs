//! The rules of a PG's schema that a parsed response can break, as errors.

use std::fmt;

use super::words;
use crate::error::{Error, ErrorKind};
use crate::outcome::Outcome;

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

/// A payment id as the success rules read it: `""` names no payment.
pub fn payment_id(id: Option<&str>) -> Option<&str> {
    id.filter(|id| !id.is_empty())
}

/// Whether an id holds a control character (`%00` in a redirect, a line
/// break): such an id names no payment or order, wherever it arrives — a
/// callback, a redirect, a webhook, a REST object — and the client refuses
/// to send one.
#[inline]
pub fn names_nothing(id: &str) -> bool {
    // Control characters are U+0000–U+001F and U+007F–U+009F. Ids are
    // nearly always printable ASCII: eight bytes at a time are tested for a
    // byte below 0x20, 0x7F, or one of a multi-byte character, and only an
    // id holding such a byte is decoded. The last word overlaps the one
    // before it, and a short id is padded with spaces, so no byte is
    // tested alone.
    let bytes = id.as_bytes();
    let suspect = match bytes.len() {
        0..8 => {
            let mut word = [b' '; 8];
            word[..bytes.len()].copy_from_slice(bytes);
            suspect_bytes(u64::from_le_bytes(word))
        }
        // Most ids (`imp_` and twelve digits, an order number): two words,
        // without the loop's setup.
        len @ 8..=16 => {
            suspect_bytes(words::word(&bytes[..8])) | suspect_bytes(words::word(&bytes[len - 8..]))
        }
        _ => suspect_words(bytes),
    };
    suspect != 0 && id.chars().any(char::is_control)
}

/// The suspect bytes of an id longer than two words, eight at a time: apart
/// so that the common short id has no loop to set up.
#[inline(never)]
fn suspect_words(bytes: &[u8]) -> u64 {
    let mut suspect = 0;
    for chunk in bytes[..bytes.len() - 1].chunks_exact(8) {
        suspect |= suspect_bytes(words::word(chunk));
    }
    suspect | suspect_bytes(words::word(&bytes[bytes.len() - 8..]))
}

/// The high bit of each byte of `word` that is below 0x20, 0x7F, or part of
/// a multi-byte character.
#[inline]
fn suspect_bytes(word: u64) -> u64 {
    (word & words::HIGH) | words::below(word, 0x20) | words::equal_to(word, 0x7f)
}

/// `into_success` on a response that does not claim success.
pub fn not_success(pg: &'static str, outcome: &Outcome) -> Error {
    Error::new(
        ErrorKind::NotSuccess,
        format!("the response does not claim success (outcome: {outcome})"),
    )
    .with_pg(pg)
}

/// A PG type built from slots a parse filled (`parse` is that parse): the
/// integrator's dispatch of its own PGs, one call per PG.
pub fn typed<S, T>(
    parse: Result<S, Error>,
    build: impl FnOnce(&mut S) -> Result<T, Violation>,
) -> Result<T, Error> {
    build(&mut parse?).map_err(Violation::into_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_names_nothing_exactly_when_it_holds_a_control_character() {
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            let id = format!("imp_{c}1");
            assert_eq!(names_nothing(&id), c.is_control(), "{:#x}", u32::from(c));
        }
        // Anywhere in the id, in the eight-byte words or the tail.
        for c in [
            '\0', '\n', '\x1f', '\x7f', '\u{85}', '\u{9f}', ' ', '~', '가', '\u{a0}',
        ] {
            for len in 0..40 {
                for at in 0..=len {
                    let mut id = "x".repeat(len);
                    id.insert(at, c);
                    assert_eq!(names_nothing(&id), c.is_control(), "{id:?}");
                }
            }
        }
    }

    #[test]
    fn violations_name_the_pg_and_the_property() {
        let missing = Violation::missing("kcp", "merchant_uid");
        assert_eq!(missing.to_string(), "kcp: missing field `merchant_uid`");
        let err = missing.into_error();
        assert_eq!(err.kind(), ErrorKind::MissingField);
        assert_eq!((err.pg(), err.field()), (Some("kcp"), Some("merchant_uid")));
        let err = Violation::incomplete("kcp", "paid_amount").into_error();
        assert_eq!(err.kind(), ErrorKind::Incomplete);
        assert!(err.message().contains("redirect"), "{err}");
    }

    #[test]
    fn the_first_missing_property_in_schema_order() {
        assert_eq!(
            first_missing(&[(false, "a"), (true, "b"), (true, "c")]),
            "b"
        );
        assert_eq!(first_missing(&[(false, "a")]), "");
        let err = not_success("kcp", &Outcome::Unknown);
        assert_eq!(err.kind(), ErrorKind::NotSuccess);
        assert_eq!(
            err.to_string(),
            "kcp: the response does not claim success (outcome: unknown)"
        );
        let err = other_flow_error("pg_type", "certification", "payment response");
        assert_eq!(err.field(), Some("pg_type"));
    }
}
