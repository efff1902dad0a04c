//! Implementation detail of [portone-pg]: the schema files' model, their
//! loader and their validator. `portone-pg-macros` generates types from
//! what this crate reads; tools (the `inspect` example) read the same files
//! the same way, so a file they accept is one the macro compiles.
//!
//! [portone-pg]: https://docs.rs/portone-pg

#![deny(missing_docs)]

pub mod diag;
pub mod load;
pub mod model;
pub mod validate;

use std::path::{Path, PathBuf};

use diag::{Diagnostic, Diagnostics};
use model::{Flow, Schema};

/// A schema directory's types: its payment PGs, and its identity
/// verification PGs when it has a `certification/` subdirectory.
pub struct Schemas {
    /// From `fields.toml`, `shapes.toml` and `pg/`.
    pub payment: Schema,
    /// From `certification/`, if present.
    pub certification: Option<Schema>,
}

/// Schema files with mistakes: every one of them, and every file read (so
/// that a build depending on them reruns when one is fixed).
pub struct Invalid {
    /// Each mistake, naming `file:line:column`.
    pub diagnostics: Vec<Diagnostic>,
    /// The files read.
    pub files: Vec<PathBuf>,
}

/// How portone-pg's own files are named in messages about an integrator's.
pub const BUILTIN_DISPLAY: &str = "portone-pg/schemas";

/// The subdirectory describing `IMP.certification` results, if present.
pub const CERTIFICATION_DIR: &str = "certification";

/// Loads and validates the schema directory `root` (shown in messages as
/// `display`): the payment schemas, and the certification schemas of its
/// `certification/` subdirectory when there is one.
pub fn load_dir(root: &Path, display: &str) -> Result<Schemas, Invalid> {
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
        (Some(payment), None) if diags.is_empty() => Ok(Schemas {
            payment,
            certification: None,
        }),
        (Some(payment), Some(Some(certification))) if diags.is_empty() => Ok(Schemas {
            payment,
            certification: Some(certification),
        }),
        _ => Err(Invalid {
            diagnostics: diags.into_vec(),
            files: raw
                .paths
                .iter()
                .chain(cert_raw.iter().flat_map(|r| &r.paths))
                .cloned()
                .collect(),
        }),
    }
}

/// Loads portone-pg's schemas from `builtin` and an integrator's PG files
/// from `root/pg/` (shown as `display`), validates them together (a code
/// may not be taken twice) and keeps the integrator's PGs only.
pub fn load_extension(builtin: &Path, root: &Path, display: &str) -> Result<Schema, Invalid> {
    let mut diags = Diagnostics::default();
    let mut raw = load::load(builtin, BUILTIN_DISPLAY, &mut diags);
    let builtin_pgs = raw.pgs.len();
    let builtin_files = raw.paths.len();
    if root.join(load::PG_DIR).is_dir() {
        load::load_pgs(&mut raw, root, display, &mut diags);
    } else {
        diags.file(
            display,
            format!(
                "expected a `{}/` directory of PG files here; the catalogue and shapes come from portone-pg",
                load::PG_DIR
            ),
        );
    }
    own_pgs(raw, builtin_pgs, builtin_files, diags)
}

/// Loads one PG file, `file` (shown as `display`), against portone-pg's
/// catalogue and shapes in `builtin`, on its own: whether it would compile
/// as an integrator's schema, and what it says. Its code may be one of
/// portone-pg's (a user's reading of a PG portone-pg has a file for).
pub fn load_pg_file(builtin: &Path, file: &Path, display: &str) -> Result<Schema, Invalid> {
    let mut diags = Diagnostics::default();
    let mut raw = load::load_shared(builtin, BUILTIN_DISPLAY, &mut diags);
    let builtin_files = raw.paths.len();
    load::load_pg_file(&mut raw, file, display, &mut diags);
    own_pgs(raw, 0, builtin_files, diags)
}

/// Validates `raw` and keeps the PGs from `first_pg` on and the files from
/// `first_file` on: the integrator's.
fn own_pgs(
    raw: load::Raw,
    first_pg: usize,
    first_file: usize,
    mut diags: Diagnostics,
) -> Result<Schema, Invalid> {
    let own: Vec<String> = raw.pgs[first_pg..]
        .iter()
        .filter_map(|pg| pg.code.as_ref().map(|c| c.value.clone()))
        .collect();
    match validate::validate(&raw, Flow::Payment, &mut diags) {
        Some(mut schema) if diags.is_empty() => {
            schema.external = true;
            schema.pgs.retain(|pg| own.contains(&pg.code));
            schema.files.drain(..first_file);
            Ok(schema)
        }
        _ => Err(Invalid {
            diagnostics: diags.into_vec(),
            files: raw.paths[first_file..].to_vec(),
        }),
    }
}
