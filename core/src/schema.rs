//! What a PG's schema file says about each property it lists, readable at
//! run time: for tools that show a response next to its schema (the
//! `inspect` example), and for code that wants to know what a PG promises.

use std::fmt;

/// How reliably a PG sends a property, as its schema file grades it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Presence {
    /// In every response of the PG, success or failure.
    Always,
    /// In every response that claims success.
    OnSuccess,
    /// Sometimes.
    Optional,
}

impl Presence {
    /// The schema files' name: `always`, `on_success`, `optional`.
    pub fn as_str(self) -> &'static str {
        match self {
            Presence::Always => "always",
            Presence::OnSuccess => "on_success",
            Presence::Optional => "optional",
        }
    }
}

impl fmt::Display for Presence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One property a PG's schema lists: its key, its presence, and whether it
/// is personal data (redacted in `Debug`).
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::{Presence, SchemaField};
///
/// let field = SchemaField { name: "paid_amount", presence: Presence::OnSuccess, personal: false };
/// assert_eq!(field.presence.to_string(), "on_success");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SchemaField {
    /// The JSON key (`paid_amount`).
    pub name: &'static str,
    /// How reliably the PG sends it.
    pub presence: Presence,
    /// Personal data: `Debug` shows `<redacted>`, errors leave its value out.
    pub personal: bool,
}
