//! The catalogue-wide parser: one slot per catalogue field and one visitor
//! that every PG's parse runs, driven by the PG's table of accepted fields.
//! Sharing it keeps the monomorphized serde code to one copy however many
//! PGs there are. Beside it, one compact parser per set of PGs that list the
//! same few properties (the new-module PGs' shape): slots for those alone,
//! read when the PG is known before reading, so that a two-key body does
//! not set up and take apart a slot for every catalogue field (and read
//! first by core's flat reader, the shape those PGs send).

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::{ident, rust_type};
use crate::model::{Pg, Role, Schema};

pub fn generate(schema: &Schema) -> TokenStream {
    let words = schema.fields.len().div_ceil(64).max(1);
    let parser = ident(schema.flow.parser());
    let dispatcher = ident(schema.flow.dispatcher());
    let noun = schema.flow.noun();
    let Some((tag_id, tag)) = schema.role(Role::Tag) else {
        // Validation refuses a catalogue without a tag; this keeps the macro panic-free.
        return quote! { compile_error!("the catalogue has no field with role `tag`"); };
    };
    let tag_id = Literal::u16_unsuffixed(tag_id as u16);
    let tag_key = &tag.name;

    // Keys grouped by length: one jump on the length, then a few compares,
    // instead of comparing against every name in turn.
    let mut by_len: std::collections::BTreeMap<usize, Vec<TokenStream>> = Default::default();
    for (id, field) in schema.fields.iter().enumerate() {
        let id = Literal::u16_unsuffixed(id as u16);
        for key in std::iter::once(&field.name).chain(&field.aliases) {
            let alias = *key != field.name;
            by_len
                .entry(key.len())
                .or_default()
                .push(quote! { #key => ::std::option::Option::Some((#id, #key, #alias)), });
        }
    }
    let lookup_arms = by_len.iter().map(|(len, arms)| {
        quote! {
            #len => match key {
                #(#arms)*
                _ => ::std::option::Option::None,
            },
        }
    });
    let field_names = schema.fields.iter().map(|f| &f.name);
    let personal = schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.pii)
        .map(|(id, _)| Literal::u16_unsuffixed(id as u16))
        .collect::<Vec<_>>();
    let is_personal = if personal.is_empty() {
        quote!({
            let _ = id;
            false
        })
    } else {
        quote!(matches!(id, #(#personal)|*))
    };
    let slot_names: Vec<_> = schema.fields.iter().map(|f| ident(&f.name)).collect();
    let slot_types = schema.fields.iter().map(|f| rust_type(f.ty));
    let catalogue_visitor = visitor(schema, Reads::Catalogue);
    let compacts = compact_sets(schema)
        .into_iter()
        .enumerate()
        .map(|(n, ids)| compact(schema, n, &ids));
    // Values that mark a body of the other flow, for every field that has
    // them: refused whether or not the PG lists the field. Only those fields
    // need looking up in a kept body.
    let refusing: Vec<_> = schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, field)| !field.refuse.is_empty())
        .map(|(id, field)| (Literal::u16_unsuffixed(id as u16), field))
        .collect();
    let refuse_arms = refusing.iter().map(|(id, field)| {
        let refuse = &field.refuse;
        quote! { #id => matches!(value, #(#refuse)|*), }
    });
    let refusing = refusing.iter().map(|(id, field)| {
        let name = &field.name;
        quote! { (#id, #name), }
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

            /// Whether `value` of catalogue field `id` marks a body of the other flow.
            fn refuses(id: u16, value: &str) -> bool {
                match id {
                    #(#refuse_arms)*
                    _ => {
                        let _ = value;
                        false
                    }
                }
            }

            /// Refuses a body of unknown PG whose kept fields mark the other flow.
            pub fn check_flow(unknown: &::portone_pg::UnknownResponse) -> ::std::result::Result<(), ::portone_pg::Error> {
                // The catalogue fields that have refused values: one lookup
                // each, not one per catalogue field.
                const REFUSING: &[(u16, &str)] = &[#(#refusing)*];
                for &(id, key) in REFUSING {
                    if let ::std::option::Option::Some(value) = unknown.get_str(key).filter(|value| refuses(id, value)) {
                        return ::std::result::Result::Err(rt::other_flow_error(key, value, #noun));
                    }
                }
                ::std::result::Result::Ok(())
            }

            /// Catalogue field names by id.
            pub const FIELD_NAMES: &[&str] = &[#(#field_names),*];

            /// Whether catalogue field `id` is personal data.
            #[inline]
            pub fn is_personal(id: u16) -> bool {
                #is_personal
            }

            /// The catalogue id of a key (field name or alias) and the key itself.
            #[inline]
            pub fn field_index(key: &str) -> ::std::option::Option<(u16, &'static str, bool)> {
                match key.len() {
                    #(#lookup_arms)*
                    _ => ::std::option::Option::None,
                }
            }

            /// One slot per catalogue field; a PG's parse fills the slots it accepts.
            #[derive(Default)]
            pub struct Slots {
                #( pub #slot_names: ::std::option::Option<#slot_types>, )*
                // `None` until a key outside the catalogue arrives: most
                // bodies have none, and an absent map costs nothing to drop.
                pub extra: ::std::option::Option<::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>>,
            }

            /// What a parse that learns its PG while reading learns it with.
            pub type Learn<'a> = rt::Learn<'a, super::#dispatcher>;

            /// Runs the shared visitor over any deserializer.
            pub fn parse_slots<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
                ctx: &rt::ParseCtx,
            ) -> ::std::result::Result<Slots, D::Error> {
                let mut slots = Slots::default();
                deserializer.deserialize_map(SlotsVisitor(ctx, ::std::option::Option::None, &mut slots))?;
                ::std::result::Result::Ok(slots)
            }

            /// One typed parse of a JSON body for the PG of `table`.
            pub fn parse_json(json: &[u8], table: &'static rt::PgTable) -> ::std::result::Result<Slots, ::portone_pg::Error> {
                let mut slots = Slots::default();
                rt::parse_text(json, || rt::ParseCtx::new(table), |reader, ctx| read_slots(reader, ctx, ::std::option::Option::None, &mut slots))?;
                ::std::result::Result::Ok(slots)
            }

            /// Runs the shared visitor over a body; with `learn`, the PG is
            /// learned from the tag (or the hint) while reading.
            pub fn read_slots(
                reader: &mut rt::TextDeserializer<'_>,
                ctx: &rt::ParseCtx,
                learn: ::std::option::Option<&Learn<'_>>,
                slots: &mut Slots,
            ) -> ::std::result::Result<(), serde_json::Error> {
                serde::Deserializer::deserialize_map(reader, SlotsVisitor(ctx, learn, slots))
            }

            /// Runs the shared visitor over a redirect's decoded pairs (no
            /// JSON text in between), learning the PG while reading.
            pub fn read_pairs(
                pairs: &rt::QueryPairs<'_>,
                ctx: &rt::ParseCtx,
                learn: &Learn<'_>,
                slots: &mut Slots,
            ) -> ::std::result::Result<(), serde_json::Error> {
                pairs.visit(SlotsVisitor(ctx, ::std::option::Option::Some(learn), slots))
            }

            /// The typed parse of an already-parsed object (the fallback path).
            pub fn parse_fields(
                fields: &::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>,
                table: &'static rt::PgTable,
            ) -> ::std::result::Result<Slots, ::portone_pg::Error> {
                let mut slots = Slots::default();
                rt::parse_fields(fields, || rt::ParseCtx::new(table), |reader, ctx| read_slots(reader, ctx, ::std::option::Option::None, &mut slots))?;
                ::std::result::Result::Ok(slots)
            }

            #catalogue_visitor

            #(#compacts)*
        }
    }
}

/// The most properties a PG may list and still get a compact parser.
const COMPACT_MAX: usize = 8;

/// What a generated visitor reads into.
#[derive(Clone, Copy)]
enum Reads<'a> {
    /// The catalogue-wide `Slots`, for any PG: the PG's table says which
    /// fields it accepts, and a dispatching parse learns it while reading.
    Catalogue,
    /// `Compact{n}`: the slots of the PGs that list exactly `ids`, whose PG
    /// is known before reading.
    Compact { n: usize, ids: &'a [usize] },
}

/// The field sets of the PGs with at most [`COMPACT_MAX`] properties, each
/// once, in the order the PGs first list them. An integrator's schemas get
/// none: their PGs are parsed by portone-pg's catalogue-wide parser.
pub fn compact_sets(schema: &Schema) -> Vec<Vec<usize>> {
    let mut sets: Vec<Vec<usize>> = Vec::new();
    if schema.external {
        return sets;
    }
    for pg in &schema.pgs {
        let ids: Vec<usize> = pg.fields.iter().map(|(id, _)| *id).collect();
        if ids.len() <= COMPACT_MAX && !sets.contains(&ids) {
            sets.push(ids);
        }
    }
    sets
}

/// The compact parser of `pg`, if it has one: the `n` of `Compact{n}`.
pub fn compact_of(schema: &Schema, pg: &Pg) -> Option<usize> {
    let ids: Vec<usize> = pg.fields.iter().map(|(id, _)| *id).collect();
    compact_sets(schema).iter().position(|set| *set == ids)
}

/// The name of `Compact{n}` or of its visitor.
pub fn compact_ident(prefix: &str, n: usize) -> proc_macro2::Ident {
    ident(&format!("{prefix}{n}"))
}

/// The slots and visitor of the PGs that list exactly `ids` (core's
/// `read_compact` and `parse_compact` read them).
fn compact(schema: &Schema, n: usize, ids: &[usize]) -> TokenStream {
    let slots = compact_ident("Compact", n);
    let visitor_ty = compact_ident("CompactVisitor", n);
    let names: Vec<_> = ids
        .iter()
        .map(|id| ident(&schema.fields[*id].name))
        .collect();
    let types = ids.iter().map(|id| rust_type(schema.fields[*id].ty));
    let listed = ids
        .iter()
        .map(|id| format!("`{}`", schema.fields[*id].name))
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(
        "The slots of a PG that lists only {listed}: a few words to set up and take apart, \
         where the catalogue-wide `Slots` has one per catalogue field."
    );
    let visitor = visitor(schema, Reads::Compact { n, ids });
    quote! {
        #[doc = #doc]
        #[derive(Default)]
        pub struct #slots {
            #( pub #names: ::std::option::Option<#types>, )*
            pub extra: ::std::option::Option<::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue>>,
        }

        impl #slots {
            /// The fields of these PGs, moved out of the catalogue-wide slots.
            pub fn take(slots: &mut Slots) -> Self {
                #slots {
                    #( #names: slots.#names.take(), )*
                    extra: slots.extra.take(),
                }
            }
        }

        impl rt::CompactSlots for #slots {
            fn visit<'de, D: serde::Deserializer<'de>>(
                deserializer: D,
                ctx: &rt::ParseCtx,
                slots: &mut Self,
            ) -> ::std::result::Result<(), D::Error> {
                deserializer.deserialize_map(#visitor_ty(ctx, slots))
            }
        }

        #visitor
    }
}

/// A visitor of the body's object, for the catalogue-wide slots or for a
/// compact parser: one generator, so both read every field, alias,
/// duplicate and unknown key alike.
fn visitor(schema: &Schema, reads: Reads<'_>) -> TokenStream {
    let noun = schema.flow.noun();
    let all: Vec<usize> = (0..schema.fields.len()).collect();
    let (ids, tag_listed) = match reads {
        Reads::Catalogue => (&all[..], true),
        Reads::Compact { ids, .. } => (
            ids,
            ids.iter()
                .any(|id| schema.fields[*id].role == Some(Role::Tag)),
        ),
    };
    let tag_ident = schema.role(Role::Tag).map(|(_, tag)| ident(&tag.name));
    let read_arms = read_arms(schema, ids);
    let recheck_arms = recheck_arms(schema, ids);
    let tag_check = quote! {
        ctx.check_tag(slots.#tag_ident.as_ref().map(::portone_pg::PgProvider::as_str))?
    };
    let (declare, start, accepted, tag_step, end) = match reads {
        Reads::Catalogue => (
            quote! {
                struct SlotsVisitor<'a, 'h>(&'a rt::ParseCtx, ::std::option::Option<&'a Learn<'h>>, &'a mut Slots);
                impl<'de> serde::de::Visitor<'de> for SlotsVisitor<'_, '_>
            },
            quote! {
                let SlotsVisitor(ctx, learn, slots) = self;
                // `None` until a dispatching parse learns the PG; until
                // then every catalogue field is read as a typed value.
                let mut table = ctx.table();
            },
            quote!(table.is_none_or(|table| table.accepts(id))),
            quote! {
                if id == TAG_ID {
                    match learn {
                        ::std::option::Option::Some(learn) if table.is_none() => {
                            table = learn.resolve(ctx, slots.#tag_ident.as_ref(), &seen, false)?;
                        }
                        _ => #tag_check,
                    }
                }
            },
            quote! {
                if let (::std::option::Option::None, ::std::option::Option::Some(learn)) = (table, learn) {
                    learn.resolve(ctx, ::std::option::Option::None, &seen, true)?;
                }
            },
        ),
        Reads::Compact { n, ids } => {
            let (visitor, slots) = (
                compact_ident("CompactVisitor", n),
                compact_ident("Compact", n),
            );
            let ids = ids.iter().map(|id| Literal::u16_unsuffixed(*id as u16));
            (
                quote! {
                    struct #visitor<'a>(&'a rt::ParseCtx, &'a mut #slots);
                    impl<'de> serde::de::Visitor<'de> for #visitor<'_>
                },
                quote!(let #visitor(ctx, slots) = self;),
                quote!(matches!(id, #(#ids)|*)),
                if tag_listed {
                    quote!(if id == TAG_ID { #tag_check; })
                } else {
                    quote!()
                },
                quote!(),
            )
        }
    };
    quote! {
        #declare {
            type Value = ();

            fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self.0.table() {
                    ::std::option::Option::Some(table) => write!(f, "a {} {} object", table.code, #noun),
                    ::std::option::Option::None => write!(f, "a {} object", #noun),
                }
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> ::std::result::Result<(), A::Error> {
                #start
                let mut seen = rt::Seen::<WORDS>::new();
                // Fields first received under an alias.
                let mut aliased = rt::Seen::<WORDS>::new();
                while let ::std::option::Option::Some(key) = map.next_key_seed(rt::KeySeed(field_index))? {
                    match key {
                        rt::Key::Known(id, name, alias) if #accepted => {
                            if !seen.insert(id) {
                                // Only two different spellings may repeat.
                                if aliased.contains(id) == alias {
                                    return ::std::result::Result::Err(ctx.duplicate(FIELD_NAMES[usize::from(id)], name));
                                }
                                ctx.enter(name, is_personal(id));
                                match id {
                                    #(#recheck_arms)*
                                    _ => {}
                                }
                                ctx.leave();
                                continue;
                            }
                            if alias {
                                aliased.insert(id);
                            }
                            ctx.enter(name, is_personal(id));
                            match id {
                                #(#read_arms)*
                                _ => {}
                            }
                            #tag_step
                            ctx.leave();
                        }
                        rt::Key::Known(id, name, _) => {
                            ctx.enter(name, is_personal(id));
                            let value: ::portone_pg::KeptValue = map.next_value()?;
                            if id == TAG_ID {
                                ctx.check_tag_value(&value)?;
                            }
                            if let ::std::option::Option::Some(text) = value.as_str().filter(|text| refuses(id, text)) {
                                return ::std::result::Result::Err(ctx.other_flow(text, #noun));
                            }
                            ctx.leave();
                            rt::insert_extra(ctx, &mut slots.extra, ::std::borrow::ToOwned::to_owned(name), value)?;
                        }
                        rt::Key::Unknown(key) => {
                            let value: ::portone_pg::KeptValue = map.next_value()?;
                            rt::insert_extra(ctx, &mut slots.extra, key, value)?;
                        }
                    }
                }
                #end
                ::std::result::Result::Ok(())
            }
        }
    }
}

/// Reading each field of `ids` into its slot, with the checks its role and
/// its refused values ask for.
fn read_arms(schema: &Schema, ids: &[usize]) -> Vec<TokenStream> {
    let noun = schema.flow.noun();
    ids.iter()
        .map(|&id| {
            let field = &schema.fields[id];
            let id = Literal::u16_unsuffixed(id as u16);
            let name = ident(&field.name);
            if matches!(field.role, Some(Role::PaymentId | Role::OrderId)) {
                // An id with a control character names no payment or order.
                quote! {
                    #id => {
                        slots.#name = map.next_value::<rt::Property<_>>()?.0;
                        if slots.#name.as_deref().is_some_and(rt::names_nothing) {
                            return ::std::result::Result::Err(ctx.not_an_id(FIELD_NAMES[#id]));
                        }
                    }
                }
            } else if field.refuse.is_empty() {
                quote! { #id => slots.#name = map.next_value::<rt::Property<_>>()?.0, }
            } else {
                // A value naming another flow: this body is not of this kind.
                quote! {
                    #id => {
                        slots.#name = map.next_value::<rt::Property<_>>()?.0;
                        if let ::std::option::Option::Some(value) = slots.#name.as_deref().filter(|value| refuses(#id, value)) {
                            return ::std::result::Result::Err(ctx.other_flow(value, #noun));
                        }
                    }
                }
            }
        })
        .collect()
}

/// A field of `ids` received under two of its names (`success` and
/// `imp_success`, as mobile SDK wrappers re-serialise a result) is read
/// again and must agree with the first; only fields with aliases can arrive
/// so.
fn recheck_arms(schema: &Schema, ids: &[usize]) -> Vec<TokenStream> {
    ids.iter()
        .map(|&id| (id, &schema.fields[id]))
        .filter(|(_, field)| !field.aliases.is_empty())
        .map(|(id, field)| {
            let id = Literal::u16_unsuffixed(id as u16);
            let name = ident(&field.name);
            let spellings = std::iter::once(&field.name)
                .chain(&field.aliases)
                .map(|key| format!("`{key}`"))
                .collect::<Vec<_>>()
                .join(" / ");
            quote! {
                #id => {
                    let again = map.next_value::<rt::Property<_>>()?.0;
                    if again != slots.#name {
                        return ::std::result::Result::Err(ctx.disagree(FIELD_NAMES[usize::from(id)], #spellings));
                    }
                }
            }
        })
        .collect()
}
