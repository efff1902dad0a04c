//! Rebuild the crate when anything under `schemas/` changes, including files
//! that are added or removed: the macro's `include_str!` tracking only sees
//! edits to files it has already read.

fn main() {
    println!("cargo:rerun-if-changed=schemas");
    println!("cargo:rerun-if-changed=build.rs");
}
