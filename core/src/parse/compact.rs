//! Compact parsers: the few slots of a PG with only a few properties, read
//! when its PG is known before reading (the request's `pg` named it, or the
//! caller asked for that PG's type).

use serde::Deserializer;

use super::ctx::{ParseCtx, read_str};
use super::flat::read_flat;
use super::table::PgTable;

/// The slots of a compact parser (`Compact{n}`, generated), filled by its
/// generated visitor.
pub trait CompactSlots: Default {
    /// Runs the visitor of these slots over `deserializer`'s object.
    fn visit<'de, D: Deserializer<'de>>(
        deserializer: D,
        ctx: &ParseCtx,
        slots: &mut Self,
    ) -> Result<(), D::Error>;
}

/// The JSON readers a compact parse may use. The dispatch uses
/// [`Readers::FlatFirst`]; the others are for tests that compare them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Readers {
    /// The flat reader, and serde_json where it declines.
    FlatFirst,
    /// The flat reader alone.
    FlatOnly,
    /// serde_json alone.
    SerdeJsonOnly,
}

/// Reads a body as the PG of `table` alone into `slots`: `false` on any
/// error (the slots are then left in no particular state), for the rest of
/// the dispatch to decide and word.
pub fn read_compact<S: CompactSlots>(
    text: &str,
    table: &'static PgTable,
    slots: &mut S,
    readers: Readers,
) -> bool {
    if readers != Readers::SerdeJsonOnly {
        let read = read_flat(text, |reader| {
            S::visit(reader, &ParseCtx::new(table), slots)
        });
        if read.is_some() || readers == Readers::FlatOnly {
            return read.is_some();
        }
        // The flat reader may have filled some slots before declining.
        *slots = S::default();
    }
    read_str(text, |_, reader| {
        S::visit(reader, &ParseCtx::new(table), slots)
    })
    .is_ok()
}

/// Reads the slots from any deserializer (a PG type's `Deserialize`).
pub fn parse_compact<'de, S: CompactSlots, D: Deserializer<'de>>(
    deserializer: D,
    ctx: &ParseCtx,
) -> Result<S, D::Error> {
    let mut slots = S::default();
    S::visit(deserializer, ctx, &mut slots)?;
    Ok(slots)
}
