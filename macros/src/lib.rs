//! Implementation detail of [portone-pg]: reads a directory of schema files
//! and generates one type per PG provider plus the dispatcher.
//!
//! Use it through `portone-pg`. The work is split into loading
//! (`load`), validation (`validate`) and code generation (`codegen`);
//! this file only hands the tokens over.
//!
//! [portone-pg]: https://docs.rs/portone-pg

#![deny(missing_docs)]

mod codegen;
mod diag;
mod expand;
mod load;
mod model;
mod validate;

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
    let source_file = input
        .clone()
        .into_iter()
        .next()
        .and_then(|t| t.span().local_file());
    expand::schemas(input.into(), source_file).into()
}
