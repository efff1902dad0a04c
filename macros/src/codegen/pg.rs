//! The two types of one PG: the wire object and its success view.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::docs;
use super::{View, ident, role_access, rust_type, type_idents};
use crate::model::{Field, Pg, Presence, Role, Schema, SuccessRule};

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

    // Moves each field out of `source`; the fields of `required` presence
    // must be there, else `error(key)` is returned.
    let move_fields = |source: TokenStream,
                       take: bool,
                       required: Presence,
                       error: &dyn Fn(&str) -> TokenStream| {
        pg.fields
            .iter()
            .map(|(index, presence)| {
                let key = &schema.fields[*index].name;
                let name = ident(key);
                let value = if take {
                    quote!(#source.#name.take())
                } else {
                    quote!(#source.#name)
                };
                if *presence == required {
                    let error = error(key);
                    quote! {
                        #name: match #value {
                            ::std::option::Option::Some(value) => value,
                            ::std::option::Option::None => return ::std::result::Result::Err(#error),
                        },
                    }
                } else {
                    quote! { #name: #value, }
                }
            })
            .collect::<Vec<_>>()
    };
    // Taken out of the slots in place: the slots struct holds every
    // catalogue field and is not copied around.
    let from_slots = move_fields(
        quote!(slots),
        true,
        Presence::Always,
        &|key| quote!(::portone_pg::__private::Violation::missing(#code, #key)),
    );
    let into_success = move_fields(
        quote!(self),
        false,
        Presence::OnSuccess,
        &|key| quote!(::portone_pg::__private::Violation::incomplete(#code, #key).into_error()),
    );
    let outcome = outcome_expr(schema, pg);
    let wire_serialize = serialize_impl(schema, pg, &wire, View::Wire);
    let success_serialize = serialize_impl(schema, pg, &success, View::Success);
    let wire_debug = debug_impl(schema, pg, &wire, View::Wire);
    let success_debug = debug_impl(schema, pg, &success, View::Success);
    let outcome_doc = docs::outcome_method(schema, pg);
    let into_success_doc = docs::into_success_method(schema, pg);
    let code_doc = format!("The `pg_provider` code of {}.", pg.name);

    quote! {
        #[doc = #wire_doc]
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #wire {
            #(#wire_fields)*
            #[doc = #extra_doc]
            pub extra: ::portone_pg::__private::serde_json::Map<::std::string::String, ::portone_pg::__private::serde_json::Value>,
        }

        #[doc = #success_doc]
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub struct #success {
            #(#success_fields)*
            #[doc = #extra_doc]
            pub extra: ::portone_pg::__private::serde_json::Map<::std::string::String, ::portone_pg::__private::serde_json::Value>,
        }

        impl #wire {
            #[doc = #code_doc]
            pub const CODE: &'static str = #code;

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

            #[doc = #into_success_doc]
            pub fn into_success(self) -> ::std::result::Result<#success, ::portone_pg::Error> {
                let outcome = self.outcome();
                if !outcome.is_success() {
                    return ::std::result::Result::Err(::portone_pg::__private::not_success(#code, &outcome));
                }
                ::std::result::Result::Ok(#success {
                    #(#into_success)*
                    extra: self.extra,
                })
            }

            #[doc(hidden)]
            pub fn __from_slots(slots: &mut #parser::Slots) -> ::std::result::Result<Self, ::portone_pg::__private::Violation> {
                ::std::result::Result::Ok(#wire {
                    #(#from_slots)*
                    extra: ::std::mem::take(&mut slots.extra),
                })
            }

            #[doc(hidden)]
            pub fn __from_json(json: &[u8]) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let mut slots = #parser::parse_json(json, Self::__TABLE)?;
                Self::__from_slots(&mut slots).map_err(::portone_pg::__private::Violation::into_error)
            }

            #[doc(hidden)]
            pub fn __from_fields(
                fields: ::portone_pg::__private::serde_json::Map<::std::string::String, ::portone_pg::__private::serde_json::Value>,
            ) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let mut slots = #parser::parse_fields(fields, Self::__TABLE)?;
                Self::__from_slots(&mut slots).map_err(::portone_pg::__private::Violation::into_error)
            }
        }

        impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for #wire {
            fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let ctx = ::portone_pg::__private::ParseCtx::new(Self::__TABLE);
                let mut slots = #parser::parse_slots(deserializer, &ctx)?;
                Self::__from_slots(&mut slots).map_err(::portone_pg::__private::serde::de::Error::custom)
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
    match pg.success {
        SuccessRule::Flag => {
            let flag = role_access(schema, pg, Role::SuccessFlag, &quote!(self));
            let imp_uid = role_access(schema, pg, Role::PaymentId, &quote!(self));
            quote!(::portone_pg::Outcome::from_flag(#flag, (#imp_uid).is_some(), #code, #message))
        }
        SuccessRule::NoError => {
            let imp_uid = role_access(schema, pg, Role::PaymentId, &quote!(self));
            quote!(::portone_pg::Outcome::from_errors((#imp_uid).is_some(), #code, #message))
        }
    }
}

fn serialize_impl(schema: &Schema, pg: &Pg, ty: &proc_macro2::Ident, view: View) -> TokenStream {
    let mut count = Vec::new();
    let mut entries = Vec::new();
    for (index, presence) in &pg.fields {
        let field: &Field = &schema.fields[*index];
        let name = ident(&field.name);
        let key = &field.name;
        if view.is_plain(*presence) {
            count.push(quote!(1usize));
            entries.push(quote! { map.serialize_entry(#key, &self.#name)?; });
        } else {
            count.push(quote!(usize::from(self.#name.is_some())));
            entries.push(quote! {
                if let ::std::option::Option::Some(value) = &self.#name {
                    map.serialize_entry(#key, value)?;
                }
            });
        }
    }
    quote! {
        impl ::portone_pg::__private::serde::Serialize for #ty {
            fn serialize<S: ::portone_pg::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::portone_pg::__private::serde::ser::SerializeMap as _;
                let len = 0usize #(+ #count)* + self.extra.len();
                let mut map = serializer.serialize_map(::std::option::Option::Some(len))?;
                #(#entries)*
                for (key, value) in &self.extra {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

fn debug_impl(schema: &Schema, pg: &Pg, ty: &proc_macro2::Ident, view: View) -> TokenStream {
    let type_name = ty.to_string();
    let fields = pg.fields.iter().map(|(index, presence)| {
        let field = &schema.fields[*index];
        let name = ident(&field.name);
        let key = &field.name;
        match (field.pii, view.is_plain(*presence)) {
            (false, _) => quote! { .field(#key, &self.#name) },
            (true, true) => quote! { .field(#key, &::portone_pg::__private::Redacted(true)) },
            (true, false) => {
                quote! { .field(#key, &::portone_pg::__private::Redacted(self.#name.is_some())) }
            }
        }
    });
    quote! {
        impl ::std::fmt::Debug for #ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.debug_struct(#type_name)
                    #(#fields)*
                    .field("extra", &self.extra)
                    .finish()
            }
        }
    }
}
