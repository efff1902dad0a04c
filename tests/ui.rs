//! Compile-time guarantees and schema mistakes, as trybuild UI tests.
//!
//! One test function, because each trybuild run builds a crate. Regenerate
//! the expected output with `TRYBUILD=overwrite cargo test --test ui` and
//! review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
    t.pass("tests/ui/pass/*.rs");
}
