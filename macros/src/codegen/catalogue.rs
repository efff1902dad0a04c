//! The catalogue-wide parser: one slot per catalogue field and one visitor
//! that every PG's parse runs, driven by the PG's table of accepted fields.
//! Sharing it keeps the monomorphized serde code to one copy however many
//! PGs there are.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ident, rust_type};
use crate::model::{Role, Schema};

pub fn generate(schema: &Schema) -> TokenStream {
    let words = schema.fields.len().div_ceil(64).max(1);
    let parser = ident(schema.kind.parser());
    let noun = schema.kind.noun();
    let Some((tag_id, tag)) = schema.role(Role::Tag) else {
        // Validation refuses a catalogue without a tag; this keeps the macro panic-free.
        return quote! { compile_error!("the catalogue has no field with role `tag`"); };
    };
    let tag_id = Literal::u16_unsuffixed(tag_id as u16);
    let tag_key = &tag.name;
    let tag_ident = ident(&tag.name);

    let lookup_arms = schema.fields.iter().enumerate().flat_map(|(id, field)| {
        let id = Literal::u16_unsuffixed(id as u16);
        std::iter::once(&field.name)
            .chain(&field.aliases)
            .map(move |key| quote! { #key => ::std::option::Option::Some((#id, #key)), })
    });
    let field_names = schema.fields.iter().map(|f| &f.name);
    let slot_names: Vec<_> = schema.fields.iter().map(|f| ident(&f.name)).collect();
    let slot_types = schema.fields.iter().map(|f| rust_type(f.ty));
    let read_arms = schema.fields.iter().enumerate().map(|(id, field)| {
        let id = Literal::u16_unsuffixed(id as u16);
        let name = ident(&field.name);
        quote! { #id => slots.#name = map.next_value::<rt::Field<_>>()?.0, }
    });

    quote! {
        #[doc(hidden)]
        pub mod #parser {
            use ::portone_pg::__private::{self as rt, serde, serde_json};

            /// Words in a field bitset.
            pub const WORDS: usize = #words;
            /// The key that names the PG.
            pub const TAG_KEY: &str = #tag_key;
            const TAG_ID: u16 = #tag_id;

            /// Catalogue field names by id.
            pub const FIELD_NAMES: &[&str] = &[#(#field_names),*];

            /// The catalogue id of a key (field name or alias) and the key itself.
            #[inline]
            pub fn field_index(key: &str) -> ::std::option::Option<(u16, &'static str)> {
                match key {
                    #(#lookup_arms)*
                    _ => ::std::option::Option::None,
                }
            }

            /// One slot per catalogue field; a PG's parse fills the slots it accepts.
            #[derive(Default)]
            pub struct Slots {
                #( pub #slot_names: ::std::option::Option<#slot_types>, )*
                pub extra: serde_json::Map<::std::string::String, serde_json::Value>,
            }

            /// Runs the shared visitor over any deserializer.
            pub fn parse_slots<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
                ctx: &rt::ParseCtx,
            ) -> ::std::result::Result<Slots, D::Error> {
                deserializer.deserialize_map(SlotsVisitor(ctx))
            }

            /// One typed parse of a JSON body for the PG of `table`.
            pub fn parse_json(json: &[u8], table: &'static rt::PgTable) -> ::std::result::Result<Slots, ::portone_pg::Error> {
                let ctx = rt::ParseCtx::new(table);
                let mut de = serde_json::Deserializer::from_slice(json);
                match parse_slots(&mut de, &ctx).and_then(|slots| de.end().map(|()| slots)) {
                    ::std::result::Result::Ok(slots) => ::std::result::Result::Ok(slots),
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(ctx.into_error(&e)),
                }
            }

            /// The typed parse of an already-parsed object (the fallback path).
            pub fn parse_fields(
                fields: serde_json::Map<::std::string::String, serde_json::Value>,
                table: &'static rt::PgTable,
            ) -> ::std::result::Result<Slots, ::portone_pg::Error> {
                let ctx = rt::ParseCtx::new(table);
                match parse_slots(serde_json::Value::Object(fields), &ctx) {
                    ::std::result::Result::Ok(slots) => ::std::result::Result::Ok(slots),
                    ::std::result::Result::Err(e) => ::std::result::Result::Err(ctx.into_error(&e)),
                }
            }

            struct SlotsVisitor<'a>(&'a rt::ParseCtx);

            impl<'de> serde::de::Visitor<'de> for SlotsVisitor<'_> {
                type Value = Slots;

                fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    write!(f, "a {} {} object", self.0.table().code, #noun)
                }

                fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<Slots, A::Error> {
                    let ctx = self.0;
                    let table = ctx.table();
                    let mut slots = Slots::default();
                    let mut seen = rt::Seen::<WORDS>::new();
                    while let ::std::option::Option::Some(key) = map.next_key_seed(rt::KeySeed(field_index))? {
                        match key {
                            rt::Key::Known(id, name) if table.accepts(id) => {
                                if !seen.insert(id) {
                                    return ::std::result::Result::Err(ctx.duplicate(FIELD_NAMES[usize::from(id)], name));
                                }
                                ctx.enter(name);
                                match id {
                                    #(#read_arms)*
                                    _ => {}
                                }
                                if id == TAG_ID {
                                    ctx.check_tag(slots.#tag_ident.as_ref().map(::portone_pg::PgProvider::as_str))?;
                                }
                                ctx.leave();
                            }
                            rt::Key::Known(id, name) => {
                                ctx.enter(name);
                                let value: serde_json::Value = map.next_value()?;
                                if id == TAG_ID {
                                    ctx.check_tag_value(&value)?;
                                }
                                ctx.leave();
                                rt::insert_extra(ctx, &mut slots.extra, ::std::borrow::ToOwned::to_owned(name), value)?;
                            }
                            rt::Key::Unknown(key) => {
                                let value: serde_json::Value = map.next_value()?;
                                rt::insert_extra(ctx, &mut slots.extra, key, value)?;
                            }
                        }
                    }
                    ::std::result::Result::Ok(slots)
                }
            }
        }
    }
}
