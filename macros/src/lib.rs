//! Implementation detail of [portone-pg]: reads a directory of schema files
//! and generates one type per PG provider plus the dispatcher.
//!
//! Use it through `portone-pg`. Loading and validation are
//! `portone-pg-schema`'s; this crate generates code (`codegen`) and reports
//! mistakes as compile errors (`diag`); this file only hands the tokens
//! over.
//!
//! [portone-pg]: https://docs.rs/portone-pg

#![deny(missing_docs)]

mod args;
mod codegen;
mod diag;
mod expand;

use portone_pg_schema::model;

#[cfg(test)]
mod tests;

use proc_macro::TokenStream;

/// Generates the types for a schema directory: `schemas!(dir = "schemas")`.
///
/// The directory holds `fields.toml` (the catalogue), `shapes.toml` and one
/// file per PG under `pg/`. It is resolved against `CARGO_MANIFEST_DIR`, or
/// against the calling file's directory with `relative_to = source_file`.
/// Every schema mistake is reported as a compile error naming
/// `file:line:column`.
#[proc_macro]
pub fn schemas(input: TokenStream) -> TokenStream {
    // The file holding the call is where the `dir` literal was written
    // (through `extend_schemas!` the first tokens come from portone-pg).
    let tokens: Vec<_> = input.clone().into_iter().collect();
    let source_file = tokens
        .windows(3)
        .find(|w| w[0].to_string() == "dir" && w[1].to_string() == "=")
        .and_then(|w| w[2].span().local_file());
    expand::schemas(input.into(), source_file).into()
}
