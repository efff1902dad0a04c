//! Input meant to break the parsers: the bad-input table, the fuzz finds,
//! property tests, and personal data kept out of every message.

#[path = "../../fuzz/checks.rs"]
mod checks;
#[path = "../support/mod.rs"]
mod support;

mod fuzz_regressions;
mod personal_data;
mod properties;
mod table;
