//! What the code portone-pg-macros generates, and the facade's own modules,
//! depend on, and nothing else: a list of re-exports. Not a public API: names and signatures here change
//! without notice. The code lives where it belongs (`parse/`, `value/`).

pub use serde;
pub use serde_json;

pub use crate::parse::compact::{CompactSlots, Readers, parse_compact, read_compact};
pub use crate::parse::ctx::{
    ParseCtx, TextDeserializer, insert_extra, parse_fields, parse_text, read_str,
};
pub use crate::parse::dispatch::{
    Dispatch, Learn, OnePass, compact, dispatch, dispatch_query, dispatch_with, from_unknown,
    one_pass, parse_unknown, query_as_json, two_pass, with_hint,
};
pub use crate::parse::query::{QueryPairs, parse_pairs};
pub use crate::parse::redact::{Redacted, RedactedMap, debug_object};
pub use crate::parse::rules::{
    Violation, first_missing, names_nothing, not_success, other_flow_error, payment_id, typed,
};
pub use crate::parse::scan::{TagScan, position_of, scan_tag};
pub use crate::parse::table::{Key, KeySeed, PgTable, Property, Seen};
pub use crate::parse::write::serialize_object;
pub use crate::value::codes::{Code, deserialize_code, deserialize_code_field};
pub use crate::value::{AsEntry, Entry, FieldValue, KeptValue};

pub use crate::__if_schemars as if_schemars;
pub use crate::__open_enum as open_enum;
#[cfg(feature = "schemars")]
pub use crate::json_schema::{SchemaProperty, any_of, code_schema, object_schema, root_schema};
#[cfg(feature = "schemars")]
pub use schemars;
