//! What users read agrees with the code: sources that resolve, the generated
//! tables in the READMEs.

#[path = "../support/mod.rs"]
mod support;

mod provenance;
mod support_table;
mod value_types;
