//! The two types of one PG: the wire object and its success view.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::{View, ident, role_access, rust_type, type_idents};
use crate::model::{Pg, Presence, Role, Schema};

pub fn generate(schema: &Schema, pg: &Pg) -> TokenStream {
    let (wire, success) = type_idents(pg);
    let code = &pg.code;
    let wire_doc = docs::wire_struct(schema, pg);
    let success_doc = docs::success_struct(pg);
    let wire_fields = struct_fields(schema, pg, View::Wire);
    let success_fields = struct_fields(schema, pg, View::Success);
    let extra_doc = format!(
        "Keys this schema does not list for {}, with their values as received. Nothing is dropped.",
        pg.name
    );

    let mut accepts = vec![0u64; schema.fields.len().div_ceil(64).max(1)];
    for (index, _) in &pg.fields {
        accepts[index / 64] |= 1 << (index % 64);
    }
    let accepts = accepts.iter().map(|w| Literal::u64_unsuffixed(*w));
    let aliases = &pg.aliases;
    let parser = super::parser_path(schema);

    // Builds `target` from the fields of `source`; those of `required`
    // presence must all be there, else the first missing one is named in
    // `error`.
    let build = |source: Source,
                 target: &proc_macro2::Ident,
                 required: Presence,
                 error: &dyn Fn(TokenStream) -> TokenStream| {
        let names: Vec<_> = pg
            .fields
            .iter()
            .map(|(index, _)| ident(&schema.fields[*index].name))
            .collect();
        let (required_names, required_keys): (Vec<_>, Vec<_>) = pg
            .fields
            .iter()
            .filter(|(_, presence)| *presence == required)
            .map(|(index, _)| {
                (
                    ident(&schema.fields[*index].name),
                    schema.fields[*index].name.as_str(),
                )
            })
            .unzip();
        let missing = |value: &dyn Fn(&proc_macro2::Ident) -> TokenStream| {
            let flags = required_names.iter().map(value);
            error(quote! {
                ::portone_pg::__private::first_missing(&[#((#flags.is_none(), #required_keys),)*])
            })
        };
        match source {
            // One pattern over the value itself: on failure it is dropped
            // whole, in one place, instead of field by field at every exit,
            // which keeps the generated function small.
            Source::Owned { value, ty, extra } => {
                let patterns = pg.fields.iter().map(|(index, presence)| {
                    let name = ident(&schema.fields[*index].name);
                    if *presence == required {
                        quote!(#name: ::std::option::Option::Some(#name),)
                    } else {
                        quote!(#name,)
                    }
                });
                let error = missing(&|name| quote!(incomplete.#name));
                quote! {
                    match #value {
                        #ty { #(#patterns)* extra } => ::std::result::Result::Ok(#target { #(#names,)* extra: #extra }),
                        #[allow(unreachable_patterns)]
                        incomplete => ::std::result::Result::Err(#error),
                    }
                }
            }
            // Taken out of the slots in place: the slots struct holds every
            // catalogue field and is not copied around.
            Source::Slots => {
                let inits = names.iter().map(|name| {
                    if required_names.contains(name) {
                        quote!(#name,)
                    } else {
                        quote!(#name: slots.#name.take(),)
                    }
                });
                let error = missing(&|name| quote!(#name));
                quote! {
                    match (#(slots.#required_names.take(),)*) {
                        (#(::std::option::Option::Some(#required_names),)*) => ::std::result::Result::Ok(#target {
                            #(#inits)*
                            extra: slots.extra.take().unwrap_or_default(),
                        }),
                        #[allow(unreachable_patterns)]
                        (#(#required_names,)*) => ::std::result::Result::Err(#error),
                    }
                }
            }
        }
    };
    // A PG with few properties also has a compact parser: its own slots,
    // read when its PG is known before reading (`Deserialize`, a body
    // received for the request's `pg`). Its response is built from those
    // slots only; the catalogue-wide slots are moved into them first.
    let compact = super::catalogue::compact_of(schema, pg)
        .map(|n| super::catalogue::compact_ident("Compact", n));
    let missing_error =
        |field: TokenStream| quote!(::portone_pg::__private::Violation::missing(#code, #field));
    let from_slots = match &compact {
        Some(slots) => {
            // Taken apart whole, so that no emptied slots are left to drop.
            let build_compact = build(
                Source::Owned {
                    value: quote!(slots),
                    ty: quote!(#parser::#slots),
                    extra: quote!(extra.unwrap_or_default()),
                },
                &wire,
                Presence::Always,
                &missing_error,
            );
            quote! {
                #[doc(hidden)]
                pub fn __from_slots(slots: &mut #parser::Slots) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
                    Self::__from_compact(#parser::#slots::take(slots))
                }

                #[doc(hidden)]
                pub fn __from_compact(slots: #parser::#slots) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
                    #build_compact
                }
            }
        }
        None => {
            let build_slots = build(Source::Slots, &wire, Presence::Always, &missing_error);
            quote! {
                #[doc(hidden)]
                pub fn __from_slots(slots: &mut #parser::Slots) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
                    #build_slots
                }
            }
        }
    };
    let into_success = build(
        Source::Owned {
            value: quote!(self),
            ty: quote!(#wire),
            extra: quote!(extra),
        },
        &success,
        Presence::OnSuccess,
        &|field| quote!(::portone_pg::__private::Violation::incomplete(#code, #field).into_error()),
    );
    let deserialize = match &compact {
        Some(slots) => quote! {
            let slots = ::portone_pg::__private::parse_compact::<#parser::#slots, D>(deserializer, &ctx)?;
            Self::__from_compact(slots).map_err(::portone_pg::__private::serde::de::Error::custom)
        },
        None => quote! {
            let mut slots = #parser::parse_slots(deserializer, &ctx)?;
            Self::__from_slots(&mut slots).map_err(::portone_pg::__private::serde::de::Error::custom)
        },
    };
    let outcome = outcome_expr(schema, pg);
    let wire_serialize = serialize_impl(schema, pg, &wire, &wire);
    let success_serialize = serialize_impl(schema, pg, &success, &wire);
    let wire_debug = debug_impl(&wire, &wire);
    let success_debug = debug_impl(&success, &wire);
    let outcome_doc = docs::outcome_method(schema, pg);
    let into_success_doc = docs::into_success_method(schema, pg);
    let check_success_doc = docs::check_success_method(pg);
    let (on_success_names, on_success_keys): (Vec<_>, Vec<_>) = pg
        .fields
        .iter()
        .filter(|(_, presence)| *presence == Presence::OnSuccess)
        .map(|(index, _)| {
            let name = schema.fields[*index].name.as_str();
            (ident(name), name)
        })
        .unzip();

    let code_doc = format!("The `pg_provider` code of {}.", pg.name);
    let schema_doc = format!(
        "Every property {} lists in its schema file, in catalogue order: its key, its presence and whether it is personal data.",
        pg.name
    );
    let schema_fields = pg.fields.iter().map(|(index, presence)| {
        let field = &schema.fields[*index];
        let name = &field.name;
        let personal = field.pii;
        let presence = presence_path(*presence);
        quote! { ::portone_pg::SchemaField { name: #name, presence: #presence, personal: #personal }, }
    });

    let json_schemas = json_schema_impls(schema, pg, &wire, &success);

    quote! {
        #json_schemas

        #[doc = #wire_doc]
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #wire {
            #(#wire_fields)*
            #[doc = #extra_doc]
            pub extra: ::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>,
        }

        #[doc = #success_doc]
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #success {
            #(#success_fields)*
            #[doc = #extra_doc]
            pub extra: ::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>,
        }

        impl #wire {
            #[doc = #code_doc]
            pub const CODE: &'static str = #code;

            #[doc = #schema_doc]
            pub const SCHEMA: &'static [::portone_pg::SchemaField] = &[#(#schema_fields)*];

            #[doc(hidden)]
            pub const __TABLE: &'static ::portone_pg::__private::PgTable = &::portone_pg::__private::PgTable {
                code: #code,
                aliases: &[#(#aliases),*],
                accepts: &[#(#accepts),*],
            };

            #[doc = #outcome_doc]
            pub fn outcome(&self) -> ::portone_pg::Outcome {
                #outcome
            }

            #[doc = #check_success_doc]
            pub fn check_success(&self) -> ::std::result::Result<(), ::portone_pg::Error> {
                let outcome = self.outcome();
                if !outcome.is_success() {
                    return ::std::result::Result::Err(::portone_pg::__private::not_success(#code, &outcome));
                }
                match ::portone_pg::__private::first_missing(&[#((self.#on_success_names.is_none(), #on_success_keys),)*]) {
                    "" => ::std::result::Result::Ok(()),
                    field => ::std::result::Result::Err(::portone_pg::__private::Violation::incomplete(#code, field).into_error()),
                }
            }

            #[doc = #into_success_doc]
            // Not `#[inline]`: compiled once here, for every PG, rather than
            // again in each release build of every crate that calls it.
            pub fn into_success(self) -> ::std::result::Result<#success, ::portone_pg::Error> {
                let outcome = self.outcome();
                if !outcome.is_success() {
                    return ::std::result::Result::Err(::portone_pg::__private::not_success(#code, &outcome));
                }
                #into_success
            }

            #from_slots

        }

        impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for #wire {
            fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let ctx = ::portone_pg::__private::ParseCtx::new(Self::__TABLE);
                #deserialize
            }
        }

        impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for #success {
            fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let wire = #wire::deserialize(deserializer)?;
                wire.into_success().map_err(::portone_pg::__private::serde::de::Error::custom)
            }
        }

        #wire_serialize
        #success_serialize
        #wire_debug
        #success_debug
    }
}

/// Where a generated constructor reads its fields.
enum Source {
    /// `value`, of type `ty` (this wire type, or the compact slots), taken
    /// apart; `extra` is the map of kept keys made from its `extra`.
    Owned {
        value: TokenStream,
        ty: TokenStream,
        extra: TokenStream,
    },
    /// The parser's slots, taken field by field.
    Slots,
}

fn struct_fields<'a>(
    schema: &'a Schema,
    pg: &'a Pg,
    view: View,
) -> impl Iterator<Item = TokenStream> + 'a {
    pg.fields.iter().map(move |(index, presence)| {
        let field = &schema.fields[*index];
        let name = ident(&field.name);
        let ty = rust_type(field.ty);
        let doc = docs::field(field, pg, *presence, view);
        let ty = if view.is_plain(*presence) {
            ty
        } else {
            quote!(::std::option::Option<#ty>)
        };
        quote! {
            #[doc = #doc]
            pub #name: #ty,
        }
    })
}

fn outcome_expr(schema: &Schema, pg: &Pg) -> TokenStream {
    let code = role_access(schema, pg, Role::ErrorCode, &quote!(self));
    let message = role_access(schema, pg, Role::ErrorMessage, &quote!(self));
    let imp_uid = role_access(schema, pg, Role::PaymentId, &quote!(self));
    // Both rules read a flag the PG lists when one arrives (a thin PG's
    // redirect carries `imp_success`); without one, `from_flag` is the
    // no-error rule. `success = "flag"` only makes the flag required in the
    // schema (validation) and the docs.
    let flag = role_access(schema, pg, Role::SuccessFlag, &quote!(self));
    quote!(::portone_pg::Outcome::from_flag(#flag, (#imp_uid).is_some(), #code, #message))
}

/// `Serialize` for one of the PG's two types, through its `__entry_at` (one
/// branch per property, in the order of `wire`'s `SCHEMA` table, which both
/// types share; a closure, not a `dyn` of the type, whose vtable would
/// compile the type's drop glue). Only the one-line `serialize` is generic (see core's
/// `entry` module for why).
fn serialize_impl(
    schema: &Schema,
    pg: &Pg,
    ty: &proc_macro2::Ident,
    wire: &proc_macro2::Ident,
) -> TokenStream {
    let arms = pg.fields.iter().enumerate().map(|(at, (index, _))| {
        let name = ident(&schema.fields[*index].name);
        quote! { #at => ::portone_pg::__private::AsEntry::entry(&self.#name), }
    });
    quote! {
        impl #ty {
            #[doc(hidden)]
            pub fn __entry_at(&self, index: usize) -> ::portone_pg::__private::Entry<'_> {
                match index {
                    #(#arms)*
                    _ => ::portone_pg::__private::Entry::Absent,
                }
            }
        }

        impl ::portone_pg::__private::serde::Serialize for #ty {
            fn serialize<S: ::portone_pg::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                ::portone_pg::__private::serialize_object(serializer, #wire::SCHEMA, &|index| self.__entry_at(index), &self.extra)
            }
        }
    }
}

/// `Debug` for one of the PG's two types: the entries `Serialize` walks,
/// personal data redacted as the `SCHEMA` table marks it.
fn debug_impl(ty: &proc_macro2::Ident, wire: &proc_macro2::Ident) -> TokenStream {
    let type_name = ty.to_string();
    quote! {
        impl ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::portone_pg::__private::debug_object(f, #type_name, #wire::SCHEMA, &|index| self.__entry_at(index), &self.extra)
            }
        }
    }
}

/// `JsonSchema` for the PG's two types, expanded only with the `schemars`
/// feature: the properties its schema file lists (under their aliases too),
/// one table for both, required as each type requires them, other keys
/// allowed.
fn json_schema_impls(
    schema: &Schema,
    pg: &Pg,
    wire: &proc_macro2::Ident,
    success: &proc_macro2::Ident,
) -> TokenStream {
    let rt = quote!(::portone_pg::__private);
    let properties = pg.fields.iter().map(|(index, presence)| {
        let field = &schema.fields[*index];
        let key = field.name.as_str();
        let aliases = &field.aliases;
        let presence = presence_path(*presence);
        let description = field.summary();
        let ty = rust_type(field.ty);
        quote! {
            #rt::SchemaProperty {
                name: #key,
                aliases: &[#(#aliases),*],
                presence: #presence,
                description: #description,
                schema: |g| g.subschema_for::<#ty>(),
            },
        }
    });
    let impl_for = |name: &proc_macro2::Ident, success_view: bool, description: String| {
        let title = name.to_string();
        quote! {
            impl #rt::schemars::JsonSchema for #name {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#title)
                }

                fn json_schema(generator: &mut #rt::schemars::SchemaGenerator) -> #rt::schemars::Schema {
                    #rt::object_schema(generator, #title, #description, PROPERTIES, #success_view)
                }
            }
        }
    };
    let wire_impl = impl_for(
        wire,
        false,
        format!(
            "A payment response of {} (`{}`), as portone-pg reads it.",
            pg.name, pg.code
        ),
    );
    let success_impl = impl_for(
        success,
        true,
        format!(
            "A response of {} (`{}`) claiming success, with every property it always sends on success.",
            pg.name, pg.code
        ),
    );
    quote! {
        #rt::if_schemars! {
            const _: () = {
                static PROPERTIES: &[#rt::SchemaProperty] = &[#(#properties)*];
                #wire_impl
                #success_impl
            };
        }
    }
}

/// The runtime `Presence` value of a schema presence.
fn presence_path(presence: Presence) -> TokenStream {
    match presence {
        Presence::Always => quote!(::portone_pg::Presence::Always),
        Presence::OnSuccess => quote!(::portone_pg::Presence::OnSuccess),
        Presence::Optional => quote!(::portone_pg::Presence::Optional),
    }
}
