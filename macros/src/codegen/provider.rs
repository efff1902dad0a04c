//! `PgProvider`: the open enum of every PG code with a schema file, across flows.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, related_codes};
use crate::model::{Pg, Schema};

/// `PgProvider`: one variant per code across every flow's schemas.
pub fn generate(schemas: &[&Schema]) -> TokenStream {
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
    // The payment flow's table of each PG with a payment schema file.
    let payment = schemas
        .iter()
        .find(|s| s.flow == crate::model::Flow::Payment);
    let schema_tables = payment.into_iter().flat_map(|schema| {
        let module = ident(schema.flow.module());
        schema.pgs.iter().map(move |pg| {
            let variant = ident(&pg.type_name);
            quote! { PgProvider::#variant => ::std::option::Option::Some(#module::#variant::SCHEMA), }
        })
    });
    let windows = payment.into_iter().flat_map(|schema| {
        schema.pgs.iter().filter_map(|pg| {
            let window = pg.window.as_ref()?;
            let variant = ident(&pg.type_name);
            let mode = |m: crate::model::WindowMode| match m {
                crate::model::WindowMode::Iframe => quote! { ::portone_pg::WindowMode::Iframe },
                crate::model::WindowMode::Popup => quote! { ::portone_pg::WindowMode::Popup },
                crate::model::WindowMode::Redirect => quote! { ::portone_pg::WindowMode::Redirect },
            };
            let (pc, mobile) = (mode(window.pc), mode(window.mobile));
            let param = match &window.popup_param {
                Some(p) => quote! { ::std::option::Option::Some(#p) },
                None => quote! { ::std::option::Option::None },
            };
            let flag = &window.redirect_flag;
            Some(quote! {
                PgProvider::#variant => ::std::option::Option::Some(::portone_pg::PaymentWindow {
                    pc: #pc, mobile: #mobile, popup_param: #param, redirect_flag: #flag,
                }),
            })
        })
    });
    let rules = payment.into_iter().flat_map(|schema| {
        schema.pgs.iter().map(|pg| {
            let variant = ident(&pg.type_name);
            let rule = match pg.success {
                crate::model::SuccessRule::Flag => quote! { ::portone_pg::SuccessRule::Flag },
                crate::model::SuccessRule::NoError => quote! { ::portone_pg::SuccessRule::NoError },
            };
            quote! { PgProvider::#variant => ::std::option::Option::Some(#rule), }
        })
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
                // Most `pg` parameters are a bare known code, which one match
                // decides (a known code has no dot and no other byte to check).
                if let ::std::option::Option::Some(known) = PgProvider::known(pg) {
                    return ::std::result::Result::Ok(known);
                }
                // Else one byte loop finds the end of the code and checks it:
                // the code is a dozen bytes, too short for `split_once`'s
                // memchr to pay for its setup.
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

            /// What the PG's payment schema file says of each property it
            /// sends (key, presence, personal data), for codes with one:
            /// the table of its type (`pg::Kcp::SCHEMA`), without a
            /// response in hand. For tools that render or check a PG's
            /// responses.
            ///
            /// ```
            /// use portone_pg::{PgProvider, Presence};
            ///
            /// let toss = PgProvider::Tosspayments.payment_schema().unwrap();
            /// assert!(toss.iter().any(|f| f.name == "merchant_uid" && f.presence == Presence::Always));
            /// assert_eq!(PgProvider::from_code("newpg").payment_schema(), None);
            /// ```
            pub fn payment_schema(&self) -> ::std::option::Option<&'static [::portone_pg::SchemaField]> {
                match self {
                    #(#schema_tables)*
                    _ => ::std::option::Option::None,
                }
            }

            /// How the PG's payment responses say they succeeded, as its
            /// schema file's `success` says; `None` for codes without a
            /// payment schema.
            ///
            /// ```
            /// use portone_pg::{PgProvider, SuccessRule};
            ///
            /// assert_eq!(PgProvider::Kcp.success_rule(), Some(SuccessRule::Flag));
            /// assert_eq!(PgProvider::Tosspayments.success_rule(), Some(SuccessRule::NoError));
            /// ```
            pub fn success_rule(&self) -> ::std::option::Option<::portone_pg::SuccessRule> {
                match self {
                    #(#rules)*
                    _ => ::std::option::Option::None,
                }
            }

            /// How the PG's payment window opens, as its schema file's
            /// `[window]` table (or its shape's) says; `None` where neither
            /// says.
            ///
            /// ```
            /// use portone_pg::{PgProvider, WindowMode};
            ///
            /// let window = PgProvider::Kcp.payment_window().unwrap();
            /// assert_eq!((window.pc, window.mobile), (WindowMode::Iframe, WindowMode::Redirect));
            /// ```
            pub fn payment_window(&self) -> ::std::option::Option<::portone_pg::PaymentWindow> {
                match self {
                    #(#windows)*
                    _ => ::std::option::Option::None,
                }
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
