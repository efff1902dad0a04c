//! The dispatcher of one flow (`PaymentResponse`, `CertificationResponse`),
//! or an integrator's `PaymentResponse`: the enum, its accessors, serde, and
//! its implementation of the core dispatch (`__private::Dispatch`).

use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

use super::{field_ref, ident, related_codes, role_access, rust_type, type_idents};
use crate::model::{FieldType, Flow, Role, Schema};

/// Which dispatcher is generated: portone-pg's own, or an integrator's that
/// extends it (`extend_schemas!`). One generator serves both, so a method
/// added to the dispatcher is added to both.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dispatcher {
    /// portone-pg's dispatcher over its own schemas; bodies of other PGs are
    /// kept as `Unknown`.
    Builtin,
    /// An integrator's dispatcher over their own schemas on portone-pg's
    /// catalogue; every other body goes to `portone_pg`'s dispatcher and is
    /// kept as `Builtin`.
    Extension,
}

/// The variant that takes every body of no PG the dispatcher has a schema
/// for: what differs between the two dispatchers, decided once.
struct Fallback {
    variant: Ident,
    ty: TokenStream,
    doc: &'static str,
    /// The fallback is itself a dispatcher (portone-pg's), so accessors
    /// delegate to it; otherwise it is an `UnknownResponse`.
    delegates: bool,
}

impl Fallback {
    fn of(which: Dispatcher) -> Self {
        match which {
            Dispatcher::Builtin => Fallback {
                variant: ident("Unknown"),
                ty: quote!(::portone_pg::UnknownResponse),
                doc: "A PG without a schema here, or no PG named: every key and value kept.",
                delegates: false,
            },
            Dispatcher::Extension => Fallback {
                variant: ident("Builtin"),
                ty: quote!(::portone_pg::PaymentResponse),
                doc: "A response of a PG portone-pg has a schema for, or of none (`Unknown` inside), \
                      exactly as portone-pg's dispatcher reads it.",
                delegates: true,
            },
        }
    }

    /// The match arm of accessor `method` for the fallback: the delegated
    /// call, or `own` on the kept `unknown`.
    fn arm(&self, dispatcher: &Ident, method: TokenStream, own: TokenStream) -> TokenStream {
        let variant = &self.variant;
        if self.delegates {
            quote!(#dispatcher::#variant(fallback) => fallback.#method(),)
        } else {
            quote!(#dispatcher::#variant(unknown) => #own,)
        }
    }
}

/// The dispatcher of one flow (`PaymentResponse`, `CertificationResponse`),
/// or an integrator's `PaymentResponse`.
pub fn response(schema: &Schema, which: Dispatcher) -> TokenStream {
    let flow = schema.flow;
    let module = ident(flow.module());
    let dispatcher = ident(flow.dispatcher());
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let codes: Vec<&String> = schema.pgs.iter().map(|pg| &pg.code).collect();
    let role = |role: Role| -> Vec<TokenStream> {
        schema
            .pgs
            .iter()
            .map(|pg| role_access(schema, pg, role, &quote!(response)))
            .collect()
    };
    let fallback = Fallback::of(which);
    let shared_accessors = shared_accessors(schema, &fallback);
    let json_schema = dispatcher_json_schema(schema, &fallback);
    let dispatch = dispatch_impl(schema, which);
    let imp_uids = role(Role::PaymentId);
    let merchant_uids = role(Role::OrderId);
    let rt = quote!(::portone_pg::__private);

    let (enum_doc, variant_docs): (String, Vec<String>) = match which {
        Dispatcher::Builtin => (
            response_doc(schema),
            schema
                .pgs
                .iter()
                .map(|pg| format!("A response from {} (`{}`).", pg.name, pg.code))
                .collect(),
        ),
        Dispatcher::Extension => (
            "A payment response of any PG: this crate's own schemas first, then every PG \
             portone-pg knows ([`Builtin`](Self::Builtin)).\n\n\
             A body naming one of this crate's PGs gets one typed parse here; any other \
             body goes to [`portone_pg::PaymentResponse`]."
                .to_owned(),
            schema
                .pgs
                .iter()
                .map(|pg| {
                    format!(
                        "A response from {} (`{}`), typed by this crate's schema file.",
                        pg.name, pg.code
                    )
                })
                .collect(),
        ),
    };
    let fallback_variant = &fallback.variant;
    let fallback_ty = &fallback.ty;
    let fallback_doc = fallback.doc;
    let provider_arm = fallback.arm(
        &dispatcher,
        quote!(provider),
        quote!(
            unknown
                .pg_provider()
                .map(::portone_pg::PgProvider::from_code)
        ),
    );
    // portone-pg's PGs are variants of `PgProvider`; an integrator's are
    // codes it does not know.
    let providers: Vec<TokenStream> = match which {
        Dispatcher::Builtin => variants
            .iter()
            .map(|v| quote!(::portone_pg::PgProvider::#v))
            .collect(),
        Dispatcher::Extension => codes
            .iter()
            .map(|code| quote!(::portone_pg::PgProvider::from_code(#code)))
            .collect(),
    };
    let extra_arm = fallback.arm(&dispatcher, quote!(extra), quote!(unknown.fields()));
    let schema_arm = fallback.arm(
        &dispatcher,
        quote!(schema),
        quote!({
            let _ = unknown;
            &[]
        }),
    );

    quote! {
        #[doc = #enum_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #dispatcher {
            #( #[doc = #variant_docs] #variants(#module::#variants), )*
            #[doc = #fallback_doc]
            #fallback_variant(#fallback_ty),
        }

        impl #dispatcher {
            /// Parses a response whose body names its PG (`pg_provider`).
            ///
            /// A body without `pg_provider` (thin PGs, pre-validation failures)
            /// names no PG; use [`from_json_with_pg`](Self::from_json_with_pg)
            /// when you know it.
            pub fn from_json(json: &[u8]) -> ::std::result::Result<Self, ::portone_pg::Error> {
                #rt::dispatch::<Self>(json, ::std::option::Option::None)
            }

            /// Parses a response received for the request's `pg` parameter
            /// (`"tosspayments"`, `"kcp.T0000"`).
            ///
            /// # Errors
            ///
            /// Besides parse errors: [`ErrorKind::InvalidPg`](::portone_pg::ErrorKind::InvalidPg)
            /// when `pg` is not a code, and
            /// [`ErrorKind::ProviderMismatch`](::portone_pg::ErrorKind::ProviderMismatch)
            /// when the body's `pg_provider` names another PG.
            pub fn from_json_with_pg(pg: &str, json: &[u8]) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let hint = <Self as #rt::Dispatch>::hint(pg)?;
                #rt::dispatch::<Self>(json, ::std::option::Option::Some(&hint))
            }

            /// Parses a redirect's query string (`imp_uid=…&merchant_uid=…&imp_success=true`,
            /// with or without the leading `?`). Every value is a string there; the
            /// lenient types read `"true"` and `"1004"`. Redirects rarely name
            /// their PG: use [`from_query_with_pg`](Self::from_query_with_pg)
            /// when you know it.
            ///
            /// # Errors
            ///
            /// Malformed percent-encoding, bytes that are not UTF-8, a key repeated
            /// with different values, and the parse errors of the PG's type.
            pub fn from_query(query: &str) -> ::std::result::Result<Self, ::portone_pg::Error> {
                #rt::parse_pairs(query, |pairs| #rt::dispatch_query::<Self>(pairs, ::std::option::Option::None))
            }

            /// Parses a redirect's query string received for the request's `pg`
            /// parameter (`"kcp"`, `"danal.A010002002"`).
            pub fn from_query_with_pg(pg: &str, query: &str) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let hint = <Self as #rt::Dispatch>::hint(pg)?;
                #rt::parse_pairs(query, |pairs| #rt::dispatch_query::<Self>(pairs, ::std::option::Option::Some(&hint)))
            }

            /// A [`DeserializeSeed`](::portone_pg::__private::serde::de::DeserializeSeed)
            /// carrying the request's `pg` (`"kcp.T0000"`): for serde entry points
            /// where `from_json_with_pg` cannot be called, so that thin PGs' bodies
            /// are typed there too. (Plain `Deserialize` has no hint.)
            pub fn seed(pg: &str) -> ::portone_pg::WithPg<'_, Self> {
                ::portone_pg::WithPg::new(pg)
            }

            /// The PG: the variant's, or what the body or the hint named.
            pub fn provider(&self) -> ::std::option::Option<::portone_pg::PgProvider> {
                match self {
                    #( #dispatcher::#variants(_) => ::std::option::Option::Some(#providers), )*
                    #provider_arm
                }
            }

            /// i'mport's payment id, the key for `GET /payments/{imp_uid}`; absent
            /// when the payment never started (pre-validation failure), and
            /// never empty.
            pub fn imp_uid(&self) -> ::std::option::Option<&str> {
                match self {
                    #( #dispatcher::#variants(response) => #imp_uids, )*
                    #dispatcher::#fallback_variant(fallback) => fallback.imp_uid(),
                }
            }

            /// The merchant's order id, as sent in the request.
            pub fn merchant_uid(&self) -> ::std::option::Option<&str> {
                match self {
                    #( #dispatcher::#variants(response) => #merchant_uids, )*
                    #dispatcher::#fallback_variant(fallback) => fallback.merchant_uid(),
                }
            }

            #shared_accessors

            /// Keys the PG's schema does not list, with their values as received
            /// (for a response of no known PG: every key).
            pub fn extra(&self) -> &::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue> {
                match self {
                    #( #dispatcher::#variants(response) => &response.extra, )*
                    #extra_arm
                }
            }

            /// The properties the PG's schema file lists, with their presence
            /// (empty for a response of no known PG).
            pub fn schema(&self) -> &'static [::portone_pg::SchemaField] {
                match self {
                    #( #dispatcher::#variants(_) => #module::#variants::SCHEMA, )*
                    #schema_arm
                }
            }

            /// What the response claims happened, by its PG's rule (for a
            /// response of no known PG, the generic rule of the official
            /// SDKs). A claim, not proof: see [`Outcome`](::portone_pg::Outcome).
            pub fn outcome(&self) -> ::portone_pg::Outcome {
                match self {
                    #( #dispatcher::#variants(response) => response.outcome(), )*
                    #dispatcher::#fallback_variant(fallback) => fallback.outcome(),
                }
            }
        }

        #dispatch

        #json_schema

        impl #rt::serde::Serialize for #dispatcher {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #dispatcher::#variants(response) => #rt::serde::Serialize::serialize(response, serializer), )*
                    #dispatcher::#fallback_variant(fallback) => #rt::serde::Serialize::serialize(fallback, serializer),
                }
            }
        }

        /// For serde entry points (`serde_json::from_str`, a framework's
        /// `Json<…>` extractor): reads the object whole, then types it if
        /// the body names its PG. serde cannot carry the request's `pg`, so
        /// the bodies of thin PGs (Toss Payments, NICE v2, … which name no
        /// PG) come out as the untyped fallback, without an error. Where the
        /// request's `pg` is known, use `from_json_with_pg`, or with the
        /// `axum` / `actix-web` features the `Callback` extractor, which
        /// reads it from the query.
        impl<'de> #rt::serde::Deserialize<'de> for #dispatcher {
            fn deserialize<D: #rt::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let unknown = <::portone_pg::UnknownResponse as #rt::serde::Deserialize>::deserialize(deserializer)?;
                #rt::from_unknown::<Self>(unknown).map_err(#rt::serde::de::Error::custom)
            }
        }
    }
}

/// The dispatcher's part of the core dispatch: how its PGs are named, found
/// and compared, and how a response is built. portone-pg's dispatcher
/// resolves typed codes and learns its PG in one pass; an integrator's
/// resolves its own codes by their text (they are `PgProvider::Other` to
/// portone-pg) and hands every other body to portone-pg's dispatcher.
fn dispatch_impl(schema: &Schema, which: Dispatcher) -> TokenStream {
    let flow = schema.flow;
    let module = ident(flow.module());
    let dispatcher = ident(flow.dispatcher());
    let parser = ident(flow.parser());
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let indices: Vec<_> = (0..schema.pgs.len())
        .map(|i| Literal::u16_unsuffixed(i as u16))
        .collect();
    let rt = quote!(::portone_pg::__private);
    // The last PG's arm takes every other index. (Loading refuses a
    // directory without PG files, so the empty case is never generated.)
    let from_slots = match variants.split_last() {
        Some((last, arms)) => {
            let arm_indices = &indices[..arms.len()];
            quote! {
                let into_error = #rt::Violation::into_error;
                match index {
                    #( #arm_indices => #module::#arms::__from_slots(slots).map(#dispatcher::#arms).map_err(into_error), )*
                    // Indices come from `resolve`; the last PG's arm takes
                    // the rest, so no index can panic.
                    _ => #module::#last::__from_slots(slots).map(#dispatcher::#last).map_err(into_error),
                }
            }
        }
        None => quote! {
            let _ = (index, slots);
            ::std::result::Result::Err(#rt::Violation::missing("", "pg_provider").into_error())
        },
    };
    // The PGs with a compact parser, read straight from a body received
    // for them.
    let compact_arms = schema.pgs.iter().enumerate().filter_map(|(index, pg)| {
        let n = super::catalogue::compact_of(schema, pg)?;
        let variant = type_idents(pg).0;
        let index = Literal::u16_unsuffixed(index as u16);
        let slots = super::catalogue::compact_ident("Compact", n);
        Some(quote! {
            #index => {
                let mut slots = ::portone_pg::#parser::#slots::default();
                if #rt::read_compact(text, #module::#variant::__TABLE, &mut slots, readers) {
                    if let ::std::result::Result::Ok(response) = #module::#variant::__from_compact(slots) {
                        return ::std::result::Result::Ok(#dispatcher::#variant(response));
                    }
                }
                otherwise()
            }
        })
    });
    // Each exit returns the response in place, or `otherwise`'s result: the
    // large enum is not moved through an `Option`.
    let read_compact = quote! {
        fn read_compact(
            index: u16,
            text: &str,
            readers: #rt::Readers,
            otherwise: impl ::std::ops::FnOnce() -> ::std::result::Result<Self, ::portone_pg::Error>,
        ) -> ::std::result::Result<Self, ::portone_pg::Error> {
            match index {
                #(#compact_arms)*
                _ => otherwise(),
            }
        }
    };
    let specific = match which {
        Dispatcher::Builtin => quote! {
            const ONE_PASS: bool = true;

            fn resolve(code: &::portone_pg::PgProvider) -> ::std::option::Option<(u16, &'static #rt::PgTable)> {
                match code {
                    #( ::portone_pg::PgProvider::#variants => ::std::option::Option::Some((#indices, #module::#variants::__TABLE)), )*
                    _ => ::std::option::Option::None,
                }
            }

            fn same_pg(hint: &::portone_pg::PgProvider, body: &::portone_pg::PgProvider) -> bool {
                hint == body || hint.related_codes().contains(&body.as_str())
            }

            fn read(
                reader: &mut #rt::TextDeserializer<'_>,
                ctx: &#rt::ParseCtx,
                learn: ::std::option::Option<&#rt::Learn<'_, Self>>,
                slots: &mut Self::Slots,
            ) -> ::std::result::Result<(), #rt::serde_json::Error> {
                ::portone_pg::#parser::read_slots(reader, ctx, learn, slots)
            }

            fn read_pairs(
                pairs: &#rt::QueryPairs<'_>,
                ctx: &#rt::ParseCtx,
                learn: &#rt::Learn<'_, Self>,
                slots: &mut Self::Slots,
            ) -> ::std::result::Result<(), #rt::serde_json::Error> {
                ::portone_pg::#parser::read_pairs(pairs, ctx, learn, slots)
            }

            #read_compact

            /// Kept whole, unless it marks the other flow.
            fn keep(unknown: ::portone_pg::UnknownResponse) -> ::std::result::Result<Self, ::portone_pg::Error> {
                ::portone_pg::#parser::check_flow(&unknown)?;
                ::std::result::Result::Ok(#dispatcher::Unknown(unknown))
            }
        },
        Dispatcher::Extension => {
            let spellings: Vec<TokenStream> = schema
                .pgs
                .iter()
                .map(|pg| {
                    let code = &pg.code;
                    let aliases = &pg.aliases;
                    quote!(#code #(| #aliases)*)
                })
                .collect();
            let codes: Vec<&String> = schema.pgs.iter().map(|pg| &pg.code).collect();
            let related: Vec<Vec<&str>> = schema
                .pgs
                .iter()
                .map(|pg| related_codes(schema, &pg.code))
                .collect();
            quote! {
                const ONE_PASS: bool = false;

                fn resolve(code: &::portone_pg::PgProvider) -> ::std::option::Option<(u16, &'static #rt::PgTable)> {
                    match code.as_str() {
                        #( #spellings => ::std::option::Option::Some((#indices, #module::#variants::__TABLE)), )*
                        _ => ::std::option::Option::None,
                    }
                }

                fn same_pg(hint: &::portone_pg::PgProvider, body: &::portone_pg::PgProvider) -> bool {
                    fn canonical(code: &str) -> &str {
                        match code {
                            #( #spellings => #codes, )*
                            other => other,
                        }
                    }
                    let (own_hint, own_body) = (canonical(hint.as_str()), canonical(body.as_str()));
                    let related: &[&str] = match own_hint {
                        #( #codes => &[#(#related),*], )*
                        _ => &[],
                    };
                    own_hint == own_body
                        || related.contains(&own_body)
                        || <::portone_pg::PaymentResponse as #rt::Dispatch>::same_pg(hint, body)
                }

                fn read(
                    reader: &mut #rt::TextDeserializer<'_>,
                    ctx: &#rt::ParseCtx,
                    _: ::std::option::Option<&#rt::Learn<'_, Self>>,
                    slots: &mut Self::Slots,
                ) -> ::std::result::Result<(), #rt::serde_json::Error> {
                    ::portone_pg::#parser::read_slots(reader, ctx, ::std::option::Option::None, slots)
                }

                /// As portone-pg's dispatcher types it.
                fn keep(unknown: ::portone_pg::UnknownResponse) -> ::std::result::Result<Self, ::portone_pg::Error> {
                    #rt::from_unknown::<::portone_pg::PaymentResponse>(unknown).map(#dispatcher::Builtin)
                }

                /// portone-pg's dispatch; a body it could only keep whole may
                /// still name one of this crate's PGs (when the scan could not
                /// read the body).
                fn fallback(json: &[u8], hint: ::std::option::Option<&::portone_pg::PgProvider>) -> ::std::result::Result<Self, ::portone_pg::Error> {
                    match #rt::dispatch::<::portone_pg::PaymentResponse>(json, hint)? {
                        ::portone_pg::PaymentResponse::Unknown(unknown) => #rt::from_unknown::<Self>(unknown),
                        builtin => ::std::result::Result::Ok(#dispatcher::Builtin(builtin)),
                    }
                }
            }
        }
    };
    quote! {
        impl #rt::Dispatch for #dispatcher {
            type Code = ::portone_pg::PgProvider;
            type Slots = ::portone_pg::#parser::Slots;

            #specific

            #[inline]
            fn code(text: &str) -> ::portone_pg::PgProvider {
                ::portone_pg::PgProvider::from_code(text)
            }

            #[inline]
            fn code_text(code: &::portone_pg::PgProvider) -> &str {
                code.as_str()
            }

            fn hint(pg: &str) -> ::std::result::Result<::portone_pg::PgProvider, ::portone_pg::Error> {
                pg.parse()
            }

            fn from_slots(index: u16, slots: &mut Self::Slots) -> ::std::result::Result<Self, ::portone_pg::Error> {
                #from_slots
            }
        }
    }
}

/// The dispatcher's rustdoc, with an example of its flow.
fn response_doc(schema: &Schema) -> String {
    let common = "\n\n\
        [`from_json`](Self::from_json) runs one typed parse that learns the PG \
        from the body's `pg_provider` as it reads it (a body it cannot decide \
        alone is scanned for the tag and parsed again). \
        [`from_json_with_pg`](Self::from_json_with_pg) also takes the request's \
        `pg` parameter, needed when the body names no PG. \
        [`from_query`](Self::from_query) and [`from_query_with_pg`](Self::from_query_with_pg) \
        read the same object from a redirect's query string (every value a string). \
        A response of a PG this version does not know, or naming none, is \
        [`Unknown`](Self::Unknown), with every key kept.\n\n\
        Serializing gives back the received JSON (`null` and absent are the \
        same; an alias key such as `imp_success` comes back as `success`). \
        Deserializing through serde reads the object whole first and cannot \
        know the request's `pg`, so a body naming no PG stays `Unknown`; \
        prefer `from_json_with_pg`.\n\n";
    match schema.flow {
        Flow::Payment => format!(
            "A payment response (`IMP.request_pay` callback) of any PG, dispatched on its `pg_provider`.{common}\
             ```\n\
             use portone_pg::{{Outcome, PaymentResponse}};\n\n\
             let body = br#\"{{\"success\":false,\"imp_uid\":\"imp_268424450329\",\"merchant_uid\":\"sub-94d7\",\"pay_method\":\"card\",\n\
             \x20               \"pg_provider\":\"html5_inicis\",\"pg_type\":\"payment\",\"error_msg\":\"user cancelled\"}}\"#;\n\
             let response = PaymentResponse::from_json(body)?;\n\
             assert!(matches!(response, PaymentResponse::Html5Inicis(_)));\n\
             assert_eq!(response.merchant_uid(), Some(\"sub-94d7\"));\n\
             assert_eq!(response.outcome(), Outcome::Failure {{ code: None, message: Some(\"user cancelled\".into()) }});\n\n\
             // Thin PGs name no PG in the body: pass the request's `pg`.\n\
             let body = br#\"{{\"imp_uid\":\"imp_1234\",\"merchant_uid\":\"order-7\"}}\"#;\n\
             let response = PaymentResponse::from_json_with_pg(\"tosspayments\", body)?;\n\
             assert!(matches!(response, PaymentResponse::Tosspayments(_)));\n\
             # Ok::<(), portone_pg::Error>(())\n\
             ```"
        ),
        Flow::Certification => format!(
            "An identity verification response (`IMP.certification` callback or redirect) of any PG, \
             dispatched on its `pg_provider`.{common}\
             Its `imp_uid` names a certification, not a payment: read the verified identity with \
             `GET /certifications/{{imp_uid}}`; the callback itself proves nothing.\n\n\
             ```\n\
             use portone_pg::{{CertificationResponse, Outcome}};\n\n\
             let body = br#\"{{\"error_code\":null,\"error_msg\":null,\"imp_uid\":\"imp_269181001787\",\"merchant_uid\":\"mid_1624366179233\",\n\
             \x20               \"pg_provider\":\"danal\",\"pg_type\":\"certification\",\"success\":true}}\"#;\n\
             let response = CertificationResponse::from_json(body)?;\n\
             assert!(matches!(response, CertificationResponse::Danal(_)));\n\
             assert_eq!(response.imp_uid(), Some(\"imp_269181001787\"));\n\n\
             // The mobile redirect: `success` (not `imp_success`) as a string, no PG named.\n\
             let redirect = CertificationResponse::from_query_with_pg(\n\
             \x20   \"danal.A010002002\",\n\
             \x20   \"imp_uid=imp_269181001787&merchant_uid=mid_1624366179233&success=false&error_msg=%EC%B7%A8%EC%86%8C\",\n\
             )?;\n\
             assert_eq!(redirect.outcome(), Outcome::Failure {{ code: None, message: Some(\"취소\".into()) }});\n\
             # Ok::<(), portone_pg::Error>(())\n\
             ```"
        ),
    }
}

/// One method per catalogue field marked `shared`: the property read from
/// whichever PG the response is, `None` where the PG's schema does not list
/// it or the response lacks it.
fn shared_accessors(schema: &Schema, fallback: &Fallback) -> TokenStream {
    let flow = schema.flow;
    let dispatcher = ident(flow.dispatcher());
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let methods =
        schema
            .fields
            .iter()
            .enumerate()
            .filter(|(_, f)| f.shared)
            .map(|(index, field)| {
                let name = ident(&field.name);
                let string = field.ty == FieldType::STRING;
                let ty = rust_type(field.ty);
                let returns = if string { quote!(&str) } else { quote!(&#ty) };
                let arms = schema.pgs.iter().zip(&variants).map(|(pg, variant)| {
                    match pg.presence(index) {
                        None => quote!(#dispatcher::#variant(_) => ::std::option::Option::None,),
                        presence => {
                            let field = field_ref(presence, &quote!(response), &name, string);
                            quote!(#dispatcher::#variant(response) => #field,)
                        }
                    }
                });
                let fallback = fallback.arm(
                    &dispatcher,
                    quote!(#name),
                    quote!({
                        let _ = unknown;
                        ::std::option::Option::None
                    }),
                );
                let listed = schema
                    .pgs
                    .iter()
                    .filter(|pg| pg.presence(index).is_some())
                    .count();
                let summary = field.summary();
                let doc = format!(
                    "`{}`, from whichever PG sent the response: {summary}\n\n\
             `None` when the PG's schema does not list it ({} of {} PGs list it) or the \
             response lacks it. What a callback says is a claim: only the REST payment \
             object, verified, proves a payment.",
                    field.name,
                    listed,
                    schema.pgs.len()
                );
                quote! {
                    #[doc = #doc]
                    pub fn #name(&self) -> ::std::option::Option<#returns> {
                        match self {
                            #( #arms )*
                            #fallback
                        }
                    }
                }
            });
    quote!(#( #methods )*)
}

/// `JsonSchema` for the dispatcher (any of the PGs' types, or the fallback)
/// and `json_schemas()`, one standalone schema per PG; expanded only with
/// the `schemars` feature.
fn dispatcher_json_schema(schema: &Schema, fallback: &Fallback) -> TokenStream {
    let flow = schema.flow;
    let module = ident(flow.module());
    let dispatcher = ident(flow.dispatcher());
    let title = flow.dispatcher();
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let codes = schema.pgs.iter().map(|pg| &pg.code);
    let fallback = &fallback.ty;
    let rt = quote!(::portone_pg::__private);
    let description = format!(
        "A {title}: the type of the PG it comes from, or (any other object) the fallback keeping every key."
    );
    quote! {
        #rt::if_schemars! {
            impl #rt::schemars::JsonSchema for #dispatcher {
                fn schema_name() -> ::std::borrow::Cow<'static, str> {
                    ::std::borrow::Cow::Borrowed(#title)
                }

                fn json_schema(generator: &mut #rt::schemars::SchemaGenerator) -> #rt::schemars::Schema {
                    #rt::any_of(generator, #title, #description, &[
                        #( |g| g.subschema_for::<#module::#variants>(), )*
                        |g| g.subschema_for::<#fallback>(),
                    ])
                }
            }

            impl #dispatcher {
                /// One standalone JSON Schema per PG with a schema file, keyed by
                /// its code (feature `schemars`): what the schema files know,
                /// for frontends and other languages.
                pub fn json_schemas() -> ::std::vec::Vec<(&'static str, #rt::schemars::Schema)> {
                    ::std::vec![
                        #( (#codes, #rt::root_schema::<#module::#variants>()), )*
                    ]
                }
            }
        }
    }
}
