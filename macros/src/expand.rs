//! The macro's work from arguments to tokens: resolve the schema directory,
//! load, validate, generate — or report every mistake.

use std::path::{Path, PathBuf};

use proc_macro2::{Span, TokenStream};

use crate::args;
use crate::diag::{Diagnostics, compile_error, to_compile_errors};
use crate::model::Flow;
use crate::{codegen, load, validate};

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

/// Shown in messages for portone-pg's own files.
const BUILTIN_DISPLAY: &str = "portone-pg/schemas";

/// Loads portone-pg's schemas from `builtin` and an integrator's PG files
/// from `root`, validates them together (a code may not be taken twice) and
/// generates types for the integrator's PGs only.
pub fn expand_extension(builtin: &Path, root: &Path, display: &str, span: Span) -> TokenStream {
    let mut diags = Diagnostics::default();
    let mut raw = load::load(builtin, BUILTIN_DISPLAY, &mut diags);
    let builtin_pgs = raw.pgs.len();
    let builtin_files = raw.paths.len();
    if root.join(load::PG_DIR).is_dir() {
        load::load_pgs(&mut raw, root, display, &mut diags);
    } else {
        diags.file(
            display,
            format!("expected a `{}/` directory of PG files here; the catalogue and shapes come from portone-pg", load::PG_DIR),
        );
    }
    let own: Vec<String> = raw.pgs[builtin_pgs..]
        .iter()
        .filter_map(|pg| pg.code.as_ref().map(|c| c.value.clone()))
        .collect();
    let schema = validate::validate(&raw, Flow::Payment, &mut diags);
    match schema {
        Some(mut schema) if diags.is_empty() => {
            schema.external = true;
            schema.pgs.retain(|pg| own.contains(&pg.code));
            schema.files.drain(..builtin_files);
            codegen::extension(&schema)
        }
        _ => {
            let mut out = codegen::track_paths(raw.paths[builtin_files..].iter());
            out.extend(to_compile_errors(&diags.into_vec(), span));
            out
        }
    }
}

/// The subdirectory describing `IMP.certification` results, if present.
pub const CERTIFICATION_DIR: &str = "certification";

/// Loads, validates and generates from `root` (shown in messages as
/// `display`): the payment schemas, and the certification schemas of its
/// `certification/` subdirectory when there is one.
pub fn expand_dir(root: &Path, display: &str, span: Span) -> TokenStream {
    let mut diags = Diagnostics::default();
    let raw = load::load(root, display, &mut diags);
    let payment = validate::validate(&raw, Flow::Payment, &mut diags);
    let cert_root = root.join(CERTIFICATION_DIR);
    let cert_raw = cert_root.is_dir().then(|| {
        let display = format!("{}/{CERTIFICATION_DIR}", display.trim_end_matches('/'));
        load::load(&cert_root, &display, &mut diags)
    });
    let certification = cert_raw
        .as_ref()
        .map(|raw| validate::validate(raw, Flow::Certification, &mut diags));
    match (payment, certification) {
        (Some(payment), None) if diags.is_empty() => codegen::generate(&payment, None),
        (Some(payment), Some(Some(certification))) if diags.is_empty() => {
            codegen::generate(&payment, Some(&certification))
        }
        _ => {
            // Keep tracking the files, so fixing one triggers a rebuild.
            let paths = raw
                .paths
                .iter()
                .chain(cert_raw.iter().flat_map(|r| &r.paths));
            let mut out = codegen::track_paths(paths);
            out.extend(to_compile_errors(&diags.into_vec(), span));
            out
        }
    }
}
