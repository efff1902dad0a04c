//! The types generated once: `PgProvider` and the `PaymentResponse` dispatcher.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, related_codes, role_access, type_idents};
use crate::model::{Role, Schema};

pub fn generate(schema: &Schema) -> TokenStream {
    let provider = pg_provider(schema);
    let response = payment_response(schema);
    quote! { #provider #response }
}

fn pg_provider(schema: &Schema) -> TokenStream {
    let variants = schema.pgs.iter().map(|pg| {
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
    let related = schema.pgs.iter().map(|pg| {
        let variant = ident(&pg.type_name);
        let codes = related_codes(schema, &pg.code);
        quote! { PgProvider::#variant => &[#(#codes),*], }
    });
    let names = schema.pgs.iter().map(|pg| {
        let variant = ident(&pg.type_name);
        let name = &pg.name;
        quote! { PgProvider::#variant => ::std::option::Option::Some(#name), }
    });
    let count = schema.pgs.len();
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
                let code = pg.split_once('.').map_or(pg, |(code, _)| code);
                if code.is_empty() || !code.bytes().all(|b| b.is_ascii_graphic()) {
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

fn payment_response(schema: &Schema) -> TokenStream {
    let variants: Vec<_> = schema.pgs.iter().map(|pg| type_idents(pg).0).collect();
    let variant_docs = schema
        .pgs
        .iter()
        .map(|pg| format!("A response from {} (`{}`).", pg.name, pg.code));
    let role_str = |role: Role| -> Vec<TokenStream> {
        let response = quote!(response);
        schema
            .pgs
            .iter()
            .map(|pg| role_access(schema, pg, role, &response))
            .collect()
    };
    let imp_uids = role_str(Role::PaymentId);
    let merchant_uids = role_str(Role::OrderId);

    quote! {
        /// A payment response of any PG, dispatched on its `pg_provider`.
        ///
        /// [`from_json`](Self::from_json) finds the body's `pg_provider` without
        /// parsing the body, then runs one typed parse for that PG.
        /// [`from_json_with_pg`](Self::from_json_with_pg) also takes the request's
        /// `pg` parameter, which thin PGs need (their body names no PG).
        /// A response of a PG this version does not know, or naming none, is
        /// [`Unknown`](Self::Unknown), with every key kept.
        ///
        /// Serializing gives back the received JSON (`null` and absent are the
        /// same; an alias key such as `imp_success` comes back as `success`).
        /// Deserializing through serde buffers the object first; prefer
        /// `from_json`, which does not.
        ///
        /// ```
        /// use portone_pg::{Outcome, PaymentResponse};
        ///
        /// let body = br#"{"success":false,"imp_uid":"imp_268424450329","merchant_uid":"sub-94d7","pay_method":"card",
        ///                 "pg_provider":"html5_inicis","pg_type":"payment","error_msg":"user cancelled"}"#;
        /// let response = PaymentResponse::from_json(body)?;
        /// assert!(matches!(response, PaymentResponse::Html5Inicis(_)));
        /// assert_eq!(response.merchant_uid(), Some("sub-94d7"));
        /// assert_eq!(response.outcome(), Outcome::Failure { code: None, message: Some("user cancelled".into()) });
        ///
        /// // Thin PGs name no PG in the body: pass the request's `pg`.
        /// let body = br#"{"imp_uid":"imp_1234","merchant_uid":"order-7"}"#;
        /// let response = PaymentResponse::from_json_with_pg("tosspayments", body)?;
        /// assert!(matches!(response, PaymentResponse::Tosspayments(_)));
        /// # Ok::<(), portone_pg::Error>(())
        /// ```
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum PaymentResponse {
            #( #[doc = #variant_docs] #variants(pg::#variants), )*
            /// A PG without a schema here, or no PG named: every key and value kept.
            Unknown(::portone_pg::UnknownResponse),
        }

        impl PaymentResponse {
            /// Parses a response whose body names its PG (`pg_provider`).
            ///
            /// A body without `pg_provider` (thin PGs, pre-validation failures)
            /// parses as [`Unknown`](Self::Unknown); use
            /// [`from_json_with_pg`](Self::from_json_with_pg) when you know the PG.
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
                let hint: PgProvider = pg.parse()?;
                Self::dispatch(json, ::std::option::Option::Some(&hint))
            }

            fn dispatch(json: &[u8], hint: ::std::option::Option<&PgProvider>) -> ::std::result::Result<Self, ::portone_pg::Error> {
                let hint = hint.map(PgProvider::as_str);
                let same_pg = PgProvider::__same_pg;
                let code = match ::portone_pg::__private::route(json, __schema::TAG_KEY, hint, same_pg)? {
                    ::portone_pg::__private::Route::Code(code) => code,
                    ::portone_pg::__private::Route::Neither | ::portone_pg::__private::Route::FullParse => {
                        return Self::from_unknown(::portone_pg::__private::parse_unknown(json, hint, same_pg)?);
                    }
                };
                match PgProvider::from_code(&code) {
                    #( PgProvider::#variants => pg::#variants::__from_json(json).map(PaymentResponse::#variants), )*
                    _ => Self::from_unknown(::portone_pg::__private::parse_unknown(json, hint, same_pg)?),
                }
            }

            /// Types a fully parsed object. Reached when the scanner could not
            /// read the body or found no known PG; if the full parse names a
            /// known PG after all, the full parse wins.
            fn from_unknown(unknown: ::portone_pg::UnknownResponse) -> ::std::result::Result<Self, ::portone_pg::Error> {
                match unknown.pg_provider().map(PgProvider::from_code) {
                    #(
                        ::std::option::Option::Some(PgProvider::#variants) => {
                            pg::#variants::__from_fields(unknown.into_fields()).map(PaymentResponse::#variants)
                        }
                    )*
                    _ => ::std::result::Result::Ok(PaymentResponse::Unknown(unknown)),
                }
            }

            /// The PG: the variant's, or for [`Unknown`](Self::Unknown) the code
            /// in the body or the hint, if any.
            pub fn provider(&self) -> ::std::option::Option<PgProvider> {
                match self {
                    #( PaymentResponse::#variants(_) => ::std::option::Option::Some(PgProvider::#variants), )*
                    PaymentResponse::Unknown(unknown) => unknown.pg_provider().map(PgProvider::from_code),
                }
            }

            /// i'mport's payment id, the key for `GET /payments/{imp_uid}`; absent
            /// when the payment never started (pre-validation failure).
            pub fn imp_uid(&self) -> ::std::option::Option<&str> {
                match self {
                    #( PaymentResponse::#variants(response) => #imp_uids, )*
                    PaymentResponse::Unknown(unknown) => unknown.imp_uid(),
                }
            }

            /// The merchant's order id, as sent in the request.
            pub fn merchant_uid(&self) -> ::std::option::Option<&str> {
                match self {
                    #( PaymentResponse::#variants(response) => #merchant_uids, )*
                    PaymentResponse::Unknown(unknown) => unknown.merchant_uid(),
                }
            }

            /// Keys the PG's schema does not list, with their values as received
            /// (for [`Unknown`](Self::Unknown): every key).
            pub fn extra(&self) -> &::portone_pg::__private::serde_json::Map<::std::string::String, ::portone_pg::__private::serde_json::Value> {
                match self {
                    #( PaymentResponse::#variants(response) => &response.extra, )*
                    PaymentResponse::Unknown(unknown) => unknown.fields(),
                }
            }

            /// What the response claims happened, by its PG's rule (for
            /// [`Unknown`](Self::Unknown), the generic rule of the official
            /// SDKs). A claim, not proof: see [`Outcome`](::portone_pg::Outcome).
            pub fn outcome(&self) -> ::portone_pg::Outcome {
                match self {
                    #( PaymentResponse::#variants(response) => response.outcome(), )*
                    PaymentResponse::Unknown(unknown) => unknown.outcome(),
                }
            }
        }

        impl ::portone_pg::__private::serde::Serialize for PaymentResponse {
            fn serialize<S: ::portone_pg::__private::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                match self {
                    #( PaymentResponse::#variants(response) => response.serialize(serializer), )*
                    PaymentResponse::Unknown(unknown) => unknown.serialize(serializer),
                }
            }
        }

        impl<'de> ::portone_pg::__private::serde::Deserialize<'de> for PaymentResponse {
            fn deserialize<D: ::portone_pg::__private::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let unknown = ::portone_pg::UnknownResponse::deserialize(deserializer)?;
                Self::from_unknown(unknown).map_err(::portone_pg::__private::serde::de::Error::custom)
            }
        }
    }
}
