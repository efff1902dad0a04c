//! Golden test of the generated code, and a way to print the real expansion.

use std::path::Path;

use proc_macro2::Span;

use crate::expand::expand_dir;

/// The repository's files these tests read (the golden schemas and
/// portone-pg's schema directory) are not part of the published package:
/// tested on its own, the package has only its other unit tests.
fn in_repository() -> bool {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let present =
        root.join("tests/golden").is_dir() && root.join("../schemas/fields.toml").is_file();
    if !present {
        eprintln!("not in the portone-pg repository: golden and schema tests skipped");
    }
    present
}

fn pretty(tokens: proc_macro2::TokenStream) -> String {
    let file: syn::File = syn::parse2(tokens).expect("the expansion is valid Rust");
    prettyplease::unparse(&file)
}

/// The expansion for `macros/tests/golden` (two PGs: one with a success flag
/// and an amount, one thin) must match `expanded.rs` exactly. After an
/// intended change: `UPDATE_GOLDEN=1 cargo test -p portone-pg-macros golden`
/// and review the diff.
#[test]
fn golden() {
    if !in_repository() {
        return;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    // Absolute paths of the tracked files differ between checkouts: they are
    // replaced before pretty-printing, whose line breaks depend on length.
    let tokens = expand_dir(&dir, "tests/golden", Span::call_site())
        .to_string()
        .replace(&format!("{}/", dir.display()), "$DIR/");
    let expanded = pretty(tokens.parse().expect("the expansion re-tokenizes"));
    let golden = dir.join("expanded.rs");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&golden, &expanded).unwrap();
    }
    let expected = std::fs::read_to_string(&golden).unwrap_or_default();
    assert!(
        expected == expanded,
        "generated code differs from {}; rerun with UPDATE_GOLDEN=1 and review the diff",
        golden.display()
    );
}

/// Writes the expansion of the crate's real `schemas/` to
/// `target/portone-pg-expanded.rs`:
/// `cargo test -p portone-pg-macros -- --ignored write_expansion`.
#[test]
#[ignore = "writes a file; run on demand to read the generated code"]
fn write_expansion() {
    if !in_repository() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let expanded = pretty(expand_dir(
        &root.join("schemas"),
        "schemas",
        Span::call_site(),
    ));
    let out = root.join("target/portone-pg-expanded.rs");
    std::fs::write(&out, expanded).unwrap();
    println!("wrote {}", out.display());
}

#[test]
fn the_real_schemas_are_valid() {
    if !in_repository() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let tokens = expand_dir(&root.join("schemas"), "schemas", Span::call_site());
    assert!(!tokens.to_string().contains("compile_error"), "{tokens}");
}
