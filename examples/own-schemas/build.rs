//! A new or removed schema file must rebuild the crate too; the macro's
//! `include_str!` tracking only sees edits to files it has already read.

fn main() {
    println!("cargo:rerun-if-changed=schemas");
    println!("cargo:rerun-if-changed=build.rs");
}
