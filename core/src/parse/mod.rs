//! The machinery generated code drives: finding the tag, the catalogue
//! table and the set of fields seen, the context of a typed parse, the
//! compact parsers of the PGs with few properties and the flat JSON reader
//! they try first, the schema's rules as errors, writing an object back,
//! and redaction. Also the
//! declaration of hand-written JSON objects (REST, webhook) and the decoding
//! of query strings and forms.
//!
//! Nothing here knows a channel (callback, redirect, webhook, REST): the
//! channel modules build on these modules, never the reverse.

pub(crate) mod compact;
pub(crate) mod ctx;
pub(crate) mod dispatch;
pub(crate) mod flat;
pub(crate) mod object;
pub(crate) mod query;
pub(crate) mod redact;
pub(crate) mod rules;
pub(crate) mod scan;
pub(crate) mod table;
pub(crate) mod words;
pub(crate) mod write;
