//! Schema mistakes as compiler errors naming `file:line:column`.
//!
//! A proc macro cannot point rustc into a TOML file, so each diagnostic is
//! reported at the macro call with the file position in its message.

use portone_pg_schema::diag::Diagnostic;
use proc_macro2::{Delimiter, Group, Literal, Span, TokenStream, TokenTree};
use quote::quote_spanned;

/// One `compile_error!` per diagnostic, all at `span`.
pub fn to_compile_errors(diagnostics: &[Diagnostic], span: Span) -> TokenStream {
    diagnostics
        .iter()
        .flat_map(|d| compile_error(span, &d.text))
        .collect()
}

/// `::core::compile_error! { "message" }` with every token at `span`, so
/// the compiler shows the message there.
pub fn compile_error(span: Span, message: &str) -> TokenStream {
    let mut text = Literal::string(message);
    text.set_span(span);
    let body = TokenStream::from(TokenTree::Literal(text));
    let mut group = Group::new(Delimiter::Brace, body);
    group.set_span(span);
    quote_spanned! {span=> ::core::compile_error! #group }
}
