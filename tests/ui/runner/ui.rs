//! Compile-time guarantees and schema mistakes, as trybuild UI tests.
//!
//! One test function, because each trybuild run builds a crate. Regenerate
//! the expected output with `TRYBUILD=overwrite cargo test -p ui-tests` and
//! review the diff. The cases are this package's `*.rs` and `pass/*.rs`
//! (tests/ui/); this runner sits apart so the globs do not match it.
//!
//! The `.stderr` snapshots are the messages of the stable compiler this
//! repository is tested with (Rust 1.95, the CI machine's toolchain): the
//! schema errors are portone-pg's own text and do not change, but rustc's
//! wording of the type errors (`no field `paid_amount` on type …`, the list
//! of available fields) can differ on another compiler version. On a
//! different toolchain, regenerate and review rather than trust a mismatch.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("*.rs");
    t.pass("pass/*.rs");
}
