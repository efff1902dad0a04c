//! The support table: one Markdown row per schema file, generated so that the
//! README and the crate docs cannot drift from the files.

use proc_macro2::TokenStream;
use quote::quote;

use super::cite::Citation;
use crate::model::{Named, Pg, Schema};

pub fn generate(schema: &Schema) -> TokenStream {
    let table = markdown(schema);
    let doc = format!(
        "The {} PGs this version has a {} schema file for, as a Markdown table generated from \
         the files: code, name, shape, success rule, evidence level, related codes and \
         sources (links to the documents, code and fixtures that show the facts).\n\n\
         The README embeds this table; a test fails when the two differ.",
        schema.pgs.len(),
        schema.flow.module(),
    );
    let name = super::ident(schema.flow.support_table());
    quote! {
        #[doc = #doc]
        pub const #name: &str = #table;
    }
}

/// The table text, rows sorted by code.
pub fn markdown(schema: &Schema) -> String {
    let mut pgs: Vec<&Pg> = schema.pgs.iter().collect();
    pgs.sort_by(|a, b| a.code.cmp(&b.code));
    let mut out = String::from(
        "| code | name | shape | success | evidence | related | sources |\n\
         |---|---|---|---|---|---|---|\n",
    );
    for pg in pgs {
        let mut code = format!("`{}`", pg.code);
        for alias in &pg.aliases {
            code.push_str(&format!(" (also `{alias}`)"));
        }
        let related = super::related_codes(schema, &pg.code)
            .into_iter()
            .map(|r| format!("`{r}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let sources = pg
            .sources
            .iter()
            .map(|s| {
                let citation = Citation::parse(s);
                cell(&format!("[{}]({})", citation.label(), citation.url()))
            })
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!(
            "| {code} | {} | {} | {} | {} | {related} | {sources} |\n",
            cell(&pg.name),
            pg.shape.as_ref().map_or("—", |(name, _)| name.as_str()),
            pg.success.name(),
            pg.evidence.name(),
        ));
    }
    out
}

/// Text safe inside a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
