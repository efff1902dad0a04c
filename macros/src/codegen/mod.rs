//! Generating Rust from a validated schema.
//!
//! The output has three parts: the catalogue-wide parser (`__schema`: one
//! slot per catalogue field and one visitor shared by every PG, and the
//! compact parsers of the PGs with few properties), one module
//! item pair per PG (`pg::Kcp`, `pg::KcpSuccess`), and the dispatcher
//! (`PgProvider`, `PaymentResponse`). Generated code names runtime items only
//! through `::portone_pg`, so users need one dependency.

mod catalogue;
mod cite;
mod dispatcher;
mod docs;
mod extension;
mod pg;
mod provider;
mod support;

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;

use crate::model::{FieldType, Flow, Pg, Presence, Role, Schema, VALUE_TYPES};

/// The whole expansion: each flow's types and dispatcher, and `PgProvider`
/// over all of them.
pub fn generate(payment: &Schema, certification: Option<&Schema>) -> TokenStream {
    let schemas: Vec<&Schema> = std::iter::once(payment).chain(certification).collect();
    let flows = schemas.iter().map(|schema| flow(schema));
    let provider = provider::generate(&schemas);
    let value_types = VALUE_TYPES.iter().map(|t| {
        let (name, rust, code, meaning) = (t.name, t.rust, t.code, t.meaning);
        quote!((#name, #rust, #code, #meaning),)
    });
    quote! {
        #(#flows)*
        #provider

        /// The value-type vocabulary of the schema files: name, Rust type,
        /// whether it is an open code enum, and what it accepts (tests check
        /// `schemas/README.md` against it).
        #[doc(hidden)]
        pub const __VALUE_TYPES: &[(&str, &str, bool, &str)] = &[#(#value_types)*];
    }
}

pub use extension::generate as extension;

/// `extend_schemas!`, exported by portone-pg: an integrator's call, with the
/// absolute path of portone-pg's schema directory filled in.
pub fn extend_macro(root: &std::path::Path) -> TokenStream {
    let root = root.to_string_lossy().into_owned();
    quote! {
        /// Generates types for your own PG schema files, on portone-pg's
        /// catalogue and shapes: `portone_pg::extend_schemas!(dir = "schemas");`
        ///
        /// `dir` (resolved against your crate's `CARGO_MANIFEST_DIR`, or the
        /// calling file with `relative_to = source_file`) holds a `pg/`
        /// directory with one file per PG, in the format of portone-pg's
        /// `schemas/README.md`. The expansion, in the calling module, is a
        /// `pg` module with your types, a `SUPPORT_TABLE`, and a
        /// `PaymentResponse` that parses your PGs and hands every other body
        /// to [`portone_pg::PaymentResponse`](crate::PaymentResponse)
        /// (its `Builtin` variant). A code portone-pg already has is an
        /// error: extend, do not shadow.
        ///
        /// Editing a file rebuilds (each file is `include_str!`ed); for a new
        /// file to rebuild too, add a `build.rs` with
        /// `println!("cargo:rerun-if-changed=schemas");`.
        #[macro_export]
        macro_rules! extend_schemas {
            ($($args:tt)*) => {
                $crate::schemas!(builtin = #root, $($args)*);
            };
        }
    }
}

/// One flow's parser, per-PG types, dispatcher and support table.
fn flow(schema: &Schema) -> TokenStream {
    let tracking = track_files(schema);
    let catalogue = catalogue::generate(schema);
    let pgs = schema.pgs.iter().map(|pg| pg::generate(schema, pg));
    let response = dispatcher::response(schema, dispatcher::Dispatcher::Builtin);
    let support = support::generate(schema);
    let module = ident(schema.flow.module());
    let module_doc = match schema.flow {
        Flow::Payment => {
            "One type per PG provider for `IMP.request_pay` results, generated from the schema files."
        }
        Flow::Certification => {
            "One type per PG provider for `IMP.certification` (identity verification) results, generated from `schemas/certification/`."
        }
    };
    quote! {
        #support
        #tracking
        #catalogue
        #[doc = #module_doc]
        ///
        /// Each `X` is the response object as the PG sends it; each `XSuccess`
        /// is the same response after `into_success()` has checked that it
        /// claims success, with every property the PG always sends on success
        /// as a plain value.
        pub mod #module {
            #(#pgs)*
        }
        #response
    }
}

/// `include_str!` of every schema file, so that editing one rebuilds the crate.
pub fn track_files(schema: &Schema) -> TokenStream {
    track_paths(schema.files.iter())
}

/// `include_str!` of each path.
pub fn track_paths<'a>(paths: impl Iterator<Item = &'a std::path::PathBuf>) -> TokenStream {
    let paths = paths.map(|p| p.to_string_lossy().into_owned());
    quote! { #( const _: &str = include_str!(#paths); )* }
}

/// An identifier from schema text validation has already checked.
fn ident(name: &str) -> Ident {
    Ident::new(name, Span::call_site())
}

/// The runtime type of a catalogue field type.
fn rust_type(ty: FieldType) -> TokenStream {
    ty.rust()
        .parse()
        .unwrap_or_else(|_| quote!(compile_error!("a value type's Rust path does not parse")))
}

/// Which of a PG's two types a field belongs to, and so whether it is plain.
#[derive(Clone, Copy, PartialEq, Eq)]
enum View {
    /// `pg::Kcp`: only `always` fields are plain.
    Wire,
    /// `pg::KcpSuccess`: `always` and `on_success` fields are plain.
    Success,
}

impl View {
    fn is_plain(self, presence: Presence) -> bool {
        match self {
            View::Wire => presence == Presence::Always,
            View::Success => presence != Presence::Optional,
        }
    }
}

/// The struct names of a PG.
fn type_idents(pg: &Pg) -> (Ident, Ident) {
    (
        ident(&pg.type_name),
        ident(&format!("{}Success", pg.type_name)),
    )
}

/// An expression reading `pg`'s field of `role` on `receiver` as
/// `Option<&str>` (`Option<bool>` for the success flag), whatever its
/// presence; `None` when the PG does not list the field.
fn role_access(schema: &Schema, pg: &Pg, role: Role, receiver: &TokenStream) -> TokenStream {
    let Some((index, field)) = schema.role(role) else {
        return quote!(::std::option::Option::None);
    };
    let name = ident(&field.name);
    let flag = role == Role::SuccessFlag;
    match (pg.presence(index), flag) {
        (None, _) => quote!(::std::option::Option::None),
        // An empty id names nothing: `imp_uid: ""` is no payment id.
        (presence, false) if role == Role::PaymentId => {
            let field = field_ref(presence, receiver, &name, true);
            quote!(::portone_pg::__private::payment_id(#field))
        }
        (presence, false) => field_ref(presence, receiver, &name, true),
        (Some(Presence::Always), true) => {
            quote!(::std::option::Option::Some(#receiver.#name.get()))
        }
        (Some(_), true) => quote!(#receiver.#name.map(::portone_pg::Flag::get)),
    }
}

/// An expression borrowing field `name` of `receiver` as `Option<&T>`
/// (`Option<&str>` for a string), whatever its presence; `None` when the PG
/// does not list it (`presence` is `None`).
fn field_ref(
    presence: Option<Presence>,
    receiver: &TokenStream,
    name: &proc_macro2::Ident,
    string: bool,
) -> TokenStream {
    match (presence, string) {
        (None, _) => quote!(::std::option::Option::None),
        (Some(Presence::Always), true) => {
            quote!(::std::option::Option::Some(#receiver.#name.as_str()))
        }
        (Some(_), true) => quote!(#receiver.#name.as_deref()),
        (Some(Presence::Always), false) => quote!(::std::option::Option::Some(&#receiver.#name)),
        (Some(_), false) => quote!(#receiver.#name.as_ref()),
    }
}

/// The codes related to `code`, both the ones its file names and the files
/// that name it: the relation is symmetric.
pub(crate) fn related_codes<'a>(schema: &'a Schema, code: &'a str) -> Vec<&'a str> {
    let mut codes: Vec<&str> = Vec::new();
    for pg in &schema.pgs {
        let named = if pg.code == code {
            pg.related.iter().map(String::as_str).collect()
        } else if pg.related.iter().any(|r| r == code) {
            vec![pg.code.as_str()]
        } else {
            vec![]
        };
        for other in named {
            if !codes.contains(&other) {
                codes.push(other);
            }
        }
    }
    codes.sort_unstable();
    codes
}

/// The path of the catalogue-wide parser: this crate's, or portone-pg's
/// for an integrator's own schemas.
fn parser_path(schema: &Schema) -> TokenStream {
    let parser = ident(schema.flow.parser());
    if schema.external {
        quote!(::portone_pg::#parser)
    } else {
        quote!(crate::#parser)
    }
}
