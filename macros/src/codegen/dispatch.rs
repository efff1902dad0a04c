//! The types generated once: `PgProvider` and the `PaymentResponse` dispatcher.

use proc_macro2::TokenStream;
use quote::quote;

use super::{field_ref, ident, related_codes, role_access, rust_type, type_idents};
use crate::model::{FieldType, Flow, Pg, Role, Schema};

/// `PgProvider`: one variant per code across every flow's schemas.
pub fn pg_provider(schemas: &[&Schema]) -> TokenStream {
    // A code with schemas in several flows (danal: payment and certification)
    // is one variant, named and documented after its first flow.
    let mut pgs: Vec<&Pg> = Vec::new();
    for schema in schemas {
        for pg in &schema.pgs {
            if !pgs.iter().any(|p| p.code == pg.code) {
                pgs.push(pg);
            }
        }
    }
    let variants = pgs.iter().map(|pg| {
        let variant = ident(&pg.type_name);
        let code = &pg.code;
        let aliases = &pg.aliases;
        let mut doc = format!("`{code}`: {}.", pg.name);
        if !aliases.is_empty() {
            let list: Vec<_> = aliases.iter().map(|a| format!("`{a}`")).collect();
            doc.push_str(&format!(" Also read from {}.", list.join(", ")));
        }
        quote! { #[doc = #doc] #variant = #code #(| #aliases)*, }
    });
    let related = pgs.iter().map(|pg| {
        let variant = ident(&pg.type_name);
        let mut codes: Vec<&str> = schemas
            .iter()
            .flat_map(|schema| related_codes(schema, &pg.code))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        quote! { PgProvider::#variant => &[#(#codes),*], }
    });
    let names = pgs.iter().map(|pg| {
        let variant = ident(&pg.type_name);
        let name = &pg.name;
        quote! { PgProvider::#variant => ::std::option::Option::Some(#name), }
    });
    let count = pgs.len();
    let doc = format!(
        "A PG provider code (`pg_provider`): one variant for each of the {count} PGs with a schema file, \
         and `Other` keeping any other code.\n\n\
         `Display` and `as_str` give the code. `FromStr` also accepts the request's `pg` parameter, \
         which may carry a store id after a dot (`\"kcp.T0000\"`, `\"html5_inicis.INIpayTest\"`); \
         responses carry the bare code.\n\n\
         ```\n\
         use portone_pg::PgProvider;\n\n\
         assert_eq!(\"kcp.T0000\".parse::<PgProvider>()?, PgProvider::Kcp);\n\
         assert_eq!(PgProvider::Html5Inicis.to_string(), \"html5_inicis\");\n\
         assert_eq!(PgProvider::from_code(\"newpg\"), PgProvider::Other(\"newpg\".into()));\n\
         assert!(\"\".parse::<PgProvider>().is_err());\n\
         # Ok::<(), portone_pg::Error>(())\n\
         ```"
    );
    quote! {
        ::portone_pg::__private::open_enum! {
            #[doc = #doc]
            pub enum PgProvider {
                #(#variants)*
            }
        }

        impl ::std::str::FromStr for PgProvider {
            type Err = ::portone_pg::Error;

            /// Parses a code or a request `pg` parameter (`code.storeId`).
            fn from_str(pg: &str) -> ::std::result::Result<Self, Self::Err> {
                // One byte loop finds the end of the code and checks it: the
                // code is a dozen bytes, too short for `split_once`'s memchr
                // to pay for its setup.
                let end = pg.bytes().position(|b| b == b'.' || !b.is_ascii_graphic()).unwrap_or(pg.len());
                let code = &pg[..end];
                if code.is_empty() || pg.as_bytes().get(end).is_some_and(|&b| b != b'.') {
                    return ::std::result::Result::Err(::portone_pg::Error::new(
                        ::portone_pg::ErrorKind::InvalidPg,
                        ::std::format!("{pg:?} is not a PG code: expected `code` or `code.storeId`, e.g. \"kcp\" or \"kcp.T0000\""),
                    ));
                }
                ::std::result::Result::Ok(PgProvider::from_code(code))
            }
        }

        impl PgProvider {
            /// Codes of the same provider's other modules (legacy and new
            /// modules, billing windows), as the schema files relate them. A
            /// response whose `pg_provider` is one of these is accepted for a
            /// request made with this code: the body names the module that
            /// processed it.
            pub fn related_codes(&self) -> &'static [&'static str] {
                match self {
                    #(#related)*
                    _ => &[],
                }
            }

            /// Whether a body naming `body` answers a request made for
            /// `hint`: the same PG (aliases included) or a related code.
            #[doc(hidden)]
            pub fn __same_pg(hint: &str, body: &str) -> bool {
                let hint = PgProvider::from_code(hint);
                let body = PgProvider::from_code(body);
                hint == body || hint.related_codes().contains(&body.as_str())
            }

            /// The PG's display name (`"NHN KCP"`), for codes with a schema file.
            pub fn name(&self) -> ::std::option::Option<&'static str> {
                match self {
                    #(#names)*
                    _ => ::std::option::Option::None,
                }
            }
        }
    }
}

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
    let shared_accessors = shared_accessors(schema, which);
    let json_schema = dispatcher_json_schema(schema, which);
    let imp_uids = role(Role::PaymentId);
    let merchant_uids = role(Role::OrderId);
    let rt = quote!(::portone_pg::__private);

    // What differs between the two forms: the variant keeping every other
    // body, how a PG is found and typed, and which codes agree.
    let (enum_doc, variant_docs, fallback, fallback_doc, fallback_ty): (
        String,
        Vec<String>,
        _,
        _,
        _,
    ) = match which {
        Dispatcher::Builtin => (
            response_doc(schema),
            schema
                .pgs
                .iter()
                .map(|pg| format!("A response from {} (`{}`).", pg.name, pg.code))
                .collect(),
            ident("Unknown"),
            "A PG without a schema here, or no PG named: every key and value kept.",
            quote!(::portone_pg::UnknownResponse),
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
            ident("Builtin"),
            "A response of a PG portone-pg has a schema for, or of none (`Unknown` inside), \
                 exactly as portone-pg's dispatcher reads it.",
            quote!(::portone_pg::PaymentResponse),
        ),
    };
    let provider_of = match which {
        Dispatcher::Builtin => variants
            .iter()
            .map(|v| quote!(::std::option::Option::Some(PgProvider::#v)))
            .collect::<Vec<_>>(),
        Dispatcher::Extension => codes
            .iter()
            .map(|code| quote!(::std::option::Option::Some(::portone_pg::PgProvider::from_code(#code))))
            .collect(),
    };
    let fallback_provider = match which {
        Dispatcher::Builtin => quote!(unknown.pg_provider().map(PgProvider::from_code)),
        Dispatcher::Extension => quote!(unknown.provider()),
    };
    let fallback_extra = match which {
        Dispatcher::Builtin => quote!(unknown.fields()),
        Dispatcher::Extension => quote!(unknown.extra()),
    };
    let fallback_schema = match which {
        Dispatcher::Builtin => quote!({
            let _ = unknown;
            &[]
        }),
        Dispatcher::Extension => quote!(unknown.schema()),
    };
    let same_pg = match which {
        Dispatcher::Builtin => quote!(PgProvider::__same_pg),
        Dispatcher::Extension => quote!(Self::same_pg),
    };
    let specific = match which {
        Dispatcher::Builtin => builtin_parsing(schema),
        Dispatcher::Extension => extension_parsing(schema),
    };

    quote! {
        #[doc = #enum_doc]
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #dispatcher {
            #( #[doc = #variant_docs] #variants(#module::#variants), )*
            #[doc = #fallback_doc]
            #fallback(#fallback_ty),
        }

        impl #dispatcher {
            /// Parses a response whose body names its PG (`pg_provider`).
            ///
            /// A body without `pg_provider` (thin PGs, pre-validation failures)
            /// names no PG; use [`from_json_with_pg`](Self::from_json_with_pg)
            /// when you know it.
            pub fn from_json(json: &[u8]) -> ::std::result::Result<Self, ::portone_pg::Error> {
                Self::dispatch(json, ::std::option::Option::None)
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
                let hint: ::portone_pg::PgProvider = pg.parse()?;
                Self::dispatch(json, ::std::option::Option::Some(hint.as_str()))
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
                #rt::parse_pairs(query, |pairs| Self::dispatch_query(pairs, ::std::option::Option::None))
            }

            /// Parses a redirect's query string received for the request's `pg`
            /// parameter (`"kcp"`, `"danal.A010002002"`).
            pub fn from_query_with_pg(pg: &str, query: &str) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let hint: ::portone_pg::PgProvider = pg.parse()?;
                #rt::parse_pairs(query, |pairs| Self::dispatch_query(pairs, ::std::option::Option::Some(hint.as_str())))
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
                    #( #dispatcher::#variants(_) => #provider_of, )*
                    #dispatcher::#fallback(unknown) => #fallback_provider,
                }
            }

            /// i'mport's payment id, the key for `GET /payments/{imp_uid}`; absent
            /// when the payment never started (pre-validation failure), and
            /// never empty.
            pub fn imp_uid(&self) -> ::std::option::Option<&str> {
                match self {
                    #( #dispatcher::#variants(response) => #imp_uids, )*
                    #dispatcher::#fallback(unknown) => unknown.imp_uid(),
                }
            }

            /// The merchant's order id, as sent in the request.
            pub fn merchant_uid(&self) -> ::std::option::Option<&str> {
                match self {
                    #( #dispatcher::#variants(response) => #merchant_uids, )*
                    #dispatcher::#fallback(unknown) => unknown.merchant_uid(),
                }
            }

            #shared_accessors

            /// Keys the PG's schema does not list, with their values as received
            /// (for a response of no known PG: every key).
            pub fn extra(&self) -> &::std::collections::BTreeMap<::std::string::String, ::portone_pg::KeptValue> {
                match self {
                    #( #dispatcher::#variants(response) => &response.extra, )*
                    #dispatcher::#fallback(unknown) => #fallback_extra,
                }
            }

            /// The properties the PG's schema file lists, with their presence
            /// (empty for a response of no known PG).
            pub fn schema(&self) -> &'static [::portone_pg::SchemaField] {
                match self {
                    #( #dispatcher::#variants(_) => #module::#variants::SCHEMA, )*
                    #dispatcher::#fallback(unknown) => #fallback_schema,
                }
            }

            /// What the response claims happened, by its PG's rule (for a
            /// response of no known PG, the generic rule of the official
            /// SDKs). A claim, not proof: see [`Outcome`](::portone_pg::Outcome).
            pub fn outcome(&self) -> ::portone_pg::Outcome {
                match self {
                    #( #dispatcher::#variants(response) => response.outcome(), )*
                    #dispatcher::#fallback(unknown) => unknown.outcome(),
                }
            }
        }

        #specific

        #json_schema

        impl #rt::Hinted for #dispatcher {
            fn from_hinted(unknown: ::portone_pg::UnknownResponse, pg: &str) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let hint: ::portone_pg::PgProvider = pg.parse()?;
                Self::from_unknown(#rt::with_hint(unknown, hint.as_str(), #same_pg)?)
            }
        }

        impl #rt::serde::Serialize for #dispatcher {
            fn serialize<S: #rt::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( #dispatcher::#variants(response) => #rt::serde::Serialize::serialize(response, serializer), )*
                    #dispatcher::#fallback(unknown) => #rt::serde::Serialize::serialize(unknown, serializer),
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
                Self::from_unknown(unknown).map_err(#rt::serde::de::Error::custom)
            }
        }
    }
}

/// portone-pg's own dispatch: one typed pass that learns the PG from the tag,
/// else a scan for the tag and a second pass; the test entry points.
fn builtin_parsing(schema: &Schema) -> TokenStream {
    let flow = schema.flow;
    let module = ident(flow.module());
    let dispatcher = ident(flow.dispatcher());
    let parser = ident(flow.parser());
    let testing = ident(&format!("{}_testing", flow.parser()));
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let codes = schema.pgs.iter().map(|pg| &pg.code);
    let indices: Vec<_> = (0..schema.pgs.len())
        .map(|i| proc_macro2::Literal::u16_unsuffixed(i as u16))
        .collect();
    // The last PG's arm takes every other index. (Loading refuses a
    // directory without PG files, so the empty case is never generated.)
    let (arms, rest) = match variants.split_last() {
        Some((last, arms)) => (
            arms,
            quote!(#module::#last::__from_slots(slots).map(#dispatcher::#last).map_err(into_error)),
        ),
        None => (
            &variants[..],
            quote!({
                let _ = slots;
                ::std::result::Result::Err(into_error(::portone_pg::__private::Violation::missing("", #parser::TAG_KEY)))
            }),
        ),
    };
    let arm_indices = &indices[..arms.len()];
    let testing_doc = format!(
        "Test entry points of `{dispatcher}`: the dispatch with and without its one-pass fast path, which must agree on every input."
    );
    quote! {
        impl #dispatcher {
            /// One parse that learns the PG from the tag (or the hint) as it
            /// goes; `None` when it cannot decide alone. (The dispatch
            /// runs the same steps inline; this is its test entry point.)
            fn one_pass(json: &[u8], hint: ::std::option::Option<&str>) -> ::std::option::Option<::std::result::Result<Self, ::portone_pg::Error>> {
                let mut slots = #parser::Slots::default();
                match #parser::dispatch_json(json, hint, Self::__resolve, PgProvider::__same_pg, &mut slots) {
                    ::portone_pg::__private::OnePass::Parsed(index) => ::std::option::Option::Some(Self::from_slots(index, &mut slots)),
                    ::portone_pg::__private::OnePass::NoSchema => ::std::option::Option::Some(Self::full_parse(json, hint)),
                    _ => ::std::option::Option::None,
                }
            }

            #[inline]
            fn dispatch(json: &[u8], hint: ::std::option::Option<&str>) -> ::std::result::Result<Self, ::portone_pg::Error> {
                Self::dispatch_with(json, hint, true)
            }

            // Every exit returns a callee's result of this same type, so
            // the (large) response is built once, in the caller's place,
            // rather than moved out of an `Option` on the way.
            #[inline]
            fn dispatch_with(json: &[u8], hint: ::std::option::Option<&str>, one_pass: bool) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let same_pg = PgProvider::__same_pg;
                // One pass when the parse can learn the PG on its own (nearly
                // always); otherwise scan for the tag and parse once more.
                if one_pass {
                    let mut slots = #parser::Slots::default();
                    match #parser::dispatch_json(json, hint, Self::__resolve, same_pg, &mut slots) {
                        ::portone_pg::__private::OnePass::Parsed(index) => return Self::from_slots(index, &mut slots),
                        // What the two-pass path does with a tag it has no schema for.
                        ::portone_pg::__private::OnePass::NoSchema => return Self::full_parse(json, hint),
                        _ => {}
                    }
                }
                let code = match ::portone_pg::__private::route(json, #parser::TAG_KEY, hint, same_pg)? {
                    ::portone_pg::__private::Route::Code(code) => code,
                    ::portone_pg::__private::Route::Neither | ::portone_pg::__private::Route::FullParse => {
                        return Self::full_parse(json, hint);
                    }
                };
                match Self::__resolve(PgProvider::from_code(&code).as_str()) {
                    ::std::option::Option::Some((index, table)) => {
                        let mut slots = #parser::parse_json(json, table)?;
                        Self::from_slots(index, &mut slots)
                    }
                    ::std::option::Option::None => Self::full_parse(json, hint),
                }
            }

            /// A redirect's parameters: typed straight from the pairs when
            /// the one pass decides, else as their JSON form by the body's
            /// dispatch (which then decides and words every case).
            fn dispatch_query(pairs: &::portone_pg::__private::QueryPairs<'_>, hint: ::std::option::Option<&str>) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let mut slots = #parser::Slots::default();
                if let ::portone_pg::__private::OnePass::Parsed(index) = #parser::dispatch_pairs(pairs, hint, Self::__resolve, PgProvider::__same_pg, &mut slots) {
                    return Self::from_slots(index, &mut slots);
                }
                pairs.parse_as_json(|json| Self::dispatch(json, hint))
            }

            /// The variant `index` (as `__resolve` numbers them) built from
            /// filled slots: one function for every PG, so that each PG adds
            /// an arm rather than its own parse entry points.
            fn from_slots(index: u16, slots: &mut #parser::Slots) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let into_error = ::portone_pg::__private::Violation::into_error;
                match index {
                    #( #arm_indices => #module::#arms::__from_slots(slots).map(#dispatcher::#arms).map_err(into_error), )*
                    // Indices come from `__resolve`; the last PG's arm
                    // takes the rest, so no index can panic.
                    _ => #rest,
                }
            }

            /// Every key kept, then typed if the object names a PG after all.
            fn full_parse(json: &[u8], hint: ::std::option::Option<&str>) -> ::std::result::Result<Self, ::portone_pg::Error> {
                Self::from_unknown(::portone_pg::__private::parse_unknown(json, hint, PgProvider::__same_pg)?)
            }

            /// The variant index and table of a PG with a schema in this flow, by canonical code.
            fn __resolve(code: &str) -> ::std::option::Option<(u16, &'static ::portone_pg::__private::PgTable)> {
                match code {
                    #( #codes => ::std::option::Option::Some((#indices, #module::#variants::__TABLE)), )*
                    _ => ::std::option::Option::None,
                }
            }

            /// Types a fully parsed object: a PG with a schema here gets its
            /// type, anything else stays whole (refused if it marks the other
            /// flow).
            #[doc(hidden)]
            pub fn __from_unknown(unknown: ::portone_pg::UnknownResponse) -> ::std::result::Result<Self, ::portone_pg::Error> {
                Self::from_unknown(unknown)
            }

            fn from_unknown(unknown: ::portone_pg::UnknownResponse) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let resolved = unknown.pg_provider().and_then(|code| Self::__resolve(PgProvider::from_code(code).as_str()));
                if let ::std::option::Option::Some((index, table)) = resolved {
                    let mut slots = #parser::parse_fields(unknown.fields(), table)?;
                    return Self::from_slots(index, &mut slots);
                }
                #parser::check_flow(unknown.fields())?;
                ::std::result::Result::Ok(#dispatcher::Unknown(unknown))
            }
        }

        #[doc = #testing_doc]
        #[doc(hidden)]
        pub mod #testing {
            use super::{#dispatcher, PgProvider};

            /// The dispatch without its one-pass fast path.
            pub fn two_pass(pg: ::std::option::Option<&str>, json: &[u8]) -> ::std::result::Result<#dispatcher, ::portone_pg::Error> {
                let hint: ::std::option::Option<PgProvider> = pg.map(str::parse).transpose()?;
                #dispatcher::dispatch_with(json, hint.as_ref().map(PgProvider::as_str), false)
            }

            /// A redirect typed through its JSON form only, without the
            /// fast path over the decoded pairs.
            pub fn query_as_json(pg: ::std::option::Option<&str>, query: &str) -> ::std::result::Result<#dispatcher, ::portone_pg::Error> {
                let hint: ::std::option::Option<PgProvider> = pg.map(str::parse).transpose()?;
                let hint = hint.as_ref().map(PgProvider::as_str);
                ::portone_pg::__private::parse_pairs(query, |pairs| pairs.parse_as_json(|json| #dispatcher::dispatch(json, hint)))
            }

            /// The one-pass fast path alone: `None` where it leaves the body
            /// to the two-pass path.
            pub fn one_pass(pg: ::std::option::Option<&str>, json: &[u8]) -> ::std::option::Option<::std::result::Result<#dispatcher, ::portone_pg::Error>> {
                let hint: ::std::option::Option<PgProvider> = pg.map(str::parse).transpose().ok()?;
                #dispatcher::one_pass(json, hint.as_ref().map(PgProvider::as_str))
            }
        }
    }
}

/// An integrator's dispatch: their PGs first (found by the tag without
/// parsing), every other body to portone-pg's dispatcher.
fn extension_parsing(schema: &Schema) -> TokenStream {
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let codes: Vec<&String> = schema.pgs.iter().map(|pg| &pg.code).collect();
    let spellings: Vec<TokenStream> = schema
        .pgs
        .iter()
        .map(|pg| {
            let code = &pg.code;
            let aliases = &pg.aliases;
            quote!(#code #(| #aliases)*)
        })
        .collect();
    let related: Vec<Vec<&str>> = schema
        .pgs
        .iter()
        .map(|pg| related_codes(schema, &pg.code))
        .collect();
    let rt = quote!(::portone_pg::__private);
    let schema = quote!(::portone_pg::__schema);
    quote! {
        impl PaymentResponse {
            /// A redirect's parameters, as their JSON form: this crate's
            /// PGs are found by the body's tag, which the form keeps.
            fn dispatch_query(pairs: &#rt::QueryPairs<'_>, hint: ::std::option::Option<&str>) -> ::std::result::Result<Self, ::portone_pg::Error> {
                pairs.parse_as_json(|json| Self::dispatch(json, hint))
            }

            fn dispatch(json: &[u8], hint: ::std::option::Option<&str>) -> ::std::result::Result<Self, ::portone_pg::Error> {
                if let #rt::Route::Code(code) = #rt::route(json, ::portone_pg::__schema::TAG_KEY, hint, Self::same_pg)? {
                    match &*code {
                        #( #spellings => return #rt::typed(#schema::parse_json(json, pg::#variants::__TABLE), pg::#variants::__from_slots).map(PaymentResponse::#variants), )*
                        _ => {}
                    }
                }
                let builtin = match hint {
                    ::std::option::Option::Some(hint) => ::portone_pg::PaymentResponse::from_json_with_pg(hint, json)?,
                    ::std::option::Option::None => ::portone_pg::PaymentResponse::from_json(json)?,
                };
                // A body portone-pg could only keep whole may still name one of
                // this crate's PGs (when its scanner could not read the body).
                match builtin {
                    ::portone_pg::PaymentResponse::Unknown(unknown) => Self::from_unknown(unknown),
                    builtin => ::std::result::Result::Ok(PaymentResponse::Builtin(builtin)),
                }
            }

            /// This crate's typed parse of an object naming one of its PGs;
            /// any other object as portone-pg's dispatcher types it.
            fn from_unknown(unknown: ::portone_pg::UnknownResponse) -> ::std::result::Result<Self, ::portone_pg::Error> {
                match unknown.pg_provider() {
                    #(
                        ::std::option::Option::Some(#spellings) => {
                            #rt::typed(#schema::parse_fields(unknown.fields(), pg::#variants::__TABLE), pg::#variants::__from_slots).map(PaymentResponse::#variants)
                        }
                    )*
                    _ => ::portone_pg::PaymentResponse::__from_unknown(unknown).map(PaymentResponse::Builtin),
                }
            }

            /// Whether a body naming `body` answers a request for `hint`.
            fn same_pg(hint: &str, body: &str) -> bool {
                let canonical = |code: &str| -> ::std::string::String {
                    match code {
                        #( #spellings => #codes.into(), )*
                        other => other.into(),
                    }
                };
                let (hint, body) = (canonical(hint), canonical(body));
                let related: &[&str] = match hint.as_str() {
                    #( #codes => &[#(#related),*], )*
                    _ => &[],
                };
                hint == body
                    || related.contains(&body.as_str())
                    || ::portone_pg::PgProvider::__same_pg(&hint, &body)
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
fn shared_accessors(schema: &Schema, which: Dispatcher) -> TokenStream {
    let flow = schema.flow;
    let dispatcher = ident(flow.dispatcher());
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let methods = schema
        .fields
        .iter()
        .enumerate()
        .filter(|(_, f)| f.shared)
        .map(|(index, field)| {
            let name = ident(&field.name);
            let string = field.ty == FieldType::STRING;
            let ty = rust_type(field.ty);
            let returns = if string { quote!(&str) } else { quote!(&#ty) };
            let arms =
                schema
                    .pgs
                    .iter()
                    .zip(&variants)
                    .map(|(pg, variant)| match pg.presence(index) {
                        None => quote!(#dispatcher::#variant(_) => ::std::option::Option::None,),
                        presence => {
                            let field = field_ref(presence, &quote!(response), &name, string);
                            quote!(#dispatcher::#variant(response) => #field,)
                        }
                    });
            let fallback = match which {
                Dispatcher::Builtin => {
                    quote!(#dispatcher::Unknown(_) => ::std::option::Option::None,)
                }
                Dispatcher::Extension => quote!(#dispatcher::Builtin(builtin) => builtin.#name(),),
            };
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
fn dispatcher_json_schema(schema: &Schema, which: Dispatcher) -> TokenStream {
    let flow = schema.flow;
    let module = ident(flow.module());
    let dispatcher = ident(flow.dispatcher());
    let title = flow.dispatcher();
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let codes = schema.pgs.iter().map(|pg| &pg.code);
    let fallback = match which {
        Dispatcher::Builtin => quote!(::portone_pg::UnknownResponse),
        Dispatcher::Extension => quote!(::portone_pg::PaymentResponse),
    };
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
