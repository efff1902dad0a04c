//! The macro's work from arguments to tokens: resolve the schema directory,
//! load, validate, generate — or report every mistake.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};

use portone_pg_schema::{Invalid, Schemas, load_dir};

use crate::args;
use crate::codegen;
use crate::diag::{compile_error, to_compile_errors};

/// Expands `schemas!(…)`. `source_file` is the file holding the call, when
/// the compiler says.
pub fn schemas(input: TokenStream, source_file: Option<PathBuf>) -> TokenStream {
    let args = match args::parse(input) {
        Ok(args) => args,
        Err(e) => return compile_error(e.span, &e.message),
    };
    let span = args.dir.span;
    let base = if args.relative_to_source {
        source_file.and_then(|f| f.parent().map(Path::to_path_buf))
    } else {
        std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from)
    };
    let Some(base) = base else {
        let what = if args.relative_to_source {
            "the calling source file's path"
        } else {
            "CARGO_MANIFEST_DIR"
        };
        return compile_error(
            span,
            &format!("cannot resolve the schema directory: {what} is unknown"),
        );
    };
    let root = base.join(&args.dir.value);
    match &args.builtin {
        None => {
            let mut out = expand_dir(&root, &args.dir.value, span);
            out.extend(codegen::extend_macro(&root));
            out
        }
        Some(builtin) => expand_extension(Path::new(&builtin.value), &root, &args.dir.value, span),
    }
}

/// Loads portone-pg's schemas from `builtin` and an integrator's PG files
/// from `root`, validates them together (a code may not be taken twice) and
/// generates types for the integrator's PGs only.
pub fn expand_extension(builtin: &Path, root: &Path, display: &str, span: Span) -> TokenStream {
    match portone_pg_schema::load_extension(builtin, root, display) {
        Ok(schema) => codegen::extension(&schema),
        Err(invalid) => errors(invalid, span),
    }
}

/// Loads, validates and generates from `root` (shown in messages as
/// `display`): the payment schemas, and the certification schemas of its
/// `certification/` subdirectory when there is one.
pub fn expand_dir(root: &Path, display: &str, span: Span) -> TokenStream {
    match load_dir(root, display) {
        Ok(Schemas {
            payment,
            certification,
        }) => codegen::generate(&payment, certification.as_ref()),
        Err(invalid) => errors(invalid, span),
    }
}

/// Every mistake as a compile error, the files still tracked so that
/// fixing one triggers a rebuild.
fn errors(invalid: Invalid, span: Span) -> TokenStream {
    let mut out = codegen::track_paths(invalid.files.iter());
    out.extend(to_compile_errors(&invalid.diagnostics, span));
    out
}
