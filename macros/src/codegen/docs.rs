//! The rustdoc of generated items: what the PG is, each field's presence,
//! the evidence behind it, and a runnable example built from the catalogue's
//! example values.

use std::fmt::Write;

use super::View;
use super::cite::Citation;
use crate::model::{Field, Flow, Named, Pg, Presence, Role, Schema, SuccessRule};

pub fn wire_struct(schema: &Schema, pg: &Pg) -> String {
    let mut doc = format!(
        "A{} {} from **{}** (`pg_provider` `{}`).\n\n{}\n\n",
        if schema.flow == Flow::Payment {
            ""
        } else {
            "n"
        },
        schema.flow.noun(),
        pg.name,
        pg.code,
        pg.doc.trim()
    );
    doc.push_str("| | |\n|---|---|\n");
    let _ = writeln!(doc, "| code | `{}` |", pg.code);
    match &pg.shape {
        Some((shape, shape_doc)) => {
            let delta = if pg.delta.is_empty() {
                String::new()
            } else {
                format!(", plus {}", pg.delta.join(", "))
            };
            let _ = writeln!(doc, "| shape | `{shape}`{delta}: {} |", one_line(shape_doc));
        }
        None => {
            let _ = writeln!(doc, "| shape | its own field list |");
        }
    }
    let _ = writeln!(doc, "| success rule | {} |", success_rule(schema, pg));
    let _ = writeln!(doc, "| evidence | **{}** |", pg.evidence.name());
    let file = Citation::parse(&pg.file);
    let _ = writeln!(doc, "| schema file | [`{}`]({}) |", pg.file, file.url());
    let _ = writeln!(
        doc,
        "\nA property this PG never sends is not a field of this type, so reading it does not compile. \
         Fields it sends in every response are plain values; the others are `Option`s, which \
         [`into_success`](Self::into_success) turns into plain values where the PG always sends them on success.\n\n\
         What a callback says is a claim made in the buyer's browser: {}.",
        schema.flow.proof()
    );
    doc.push_str("\n# Sources\n\n");
    for source in &pg.sources {
        let _ = writeln!(doc, "- {}", Citation::parse(source).markdown());
    }
    if let Some(notes) = &pg.notes {
        let _ = write!(doc, "\n# Notes\n\n{}\n", notes.trim());
    }
    // The example names portone-pg's own dispatcher; an integrator's crate
    // has its own.
    if !schema.external {
        doc.push_str(&example(schema, pg));
    }
    doc
}

pub fn success_struct(pg: &Pg) -> String {
    format!(
        "A response from **{}** (`{}`) that claims success, as returned by \
         [`{}::into_success`]: every property {} always sends on success is a plain value.\n\n\
         The claim still has to be verified through the REST API before an order is fulfilled.",
        pg.name, pg.code, pg.type_name, pg.name
    )
}

pub fn field(field: &Field, pg: &Pg, presence: Presence, view: View) -> String {
    let mut doc = field.doc.trim().to_owned();
    let presence_text = match presence {
        Presence::Always => format!("Sent by {} in every response.", pg.name),
        Presence::OnSuccess if view == View::Success => {
            format!("Sent by {} whenever it reports success.", pg.name)
        }
        Presence::OnSuccess => format!(
            "Sent by {} whenever it reports success (a plain value in the success view); `None` otherwise.",
            pg.name
        ),
        Presence::Optional => format!("Sent by {} only sometimes.", pg.name),
    };
    let _ = write!(
        doc,
        "\n\n*Presence: `{}`.* {presence_text}",
        presence.name()
    );
    if !field.aliases.is_empty() {
        let aliases: Vec<String> = field.aliases.iter().map(|a| format!("`{a}`")).collect();
        let _ = write!(
            doc,
            " Also accepted under the key {}.",
            aliases.join(" or ")
        );
    }
    if field.pii {
        doc.push_str(" Personal data: `Debug` shows `<redacted>`.");
    }
    doc
}

pub fn outcome_method(schema: &Schema, pg: &Pg) -> String {
    format!(
        "What this response claims happened, by {}'s success rule: {}.\n\n\
         A claim, not proof of payment: see [`Outcome`](::portone_pg::Outcome).",
        pg.name,
        success_rule(schema, pg)
    )
}

pub fn check_success_method(pg: &Pg) -> String {
    format!(
        "Whether [`into_success`](Self::into_success) would succeed, without \
         consuming the response: the same error it would return (the response does \
         not claim success, or lacks a property {} always sends on success), so a \
         caller keeps the response to log or answer with after a failed check.",
        pg.name
    )
}

pub fn into_success_method(schema: &Schema, pg: &Pg) -> String {
    let plain: Vec<String> = pg
        .fields
        .iter()
        .filter(|(_, p)| *p == Presence::OnSuccess)
        .map(|(i, _)| format!("`{}`", schema.fields[*i].name))
        .collect();
    let plain = if plain.is_empty() {
        String::new()
    } else {
        format!(" ({})", plain.join(", "))
    };
    format!(
        "The success view of this response.\n\n\
         # Errors\n\n\
         [`ErrorKind::NotSuccess`](::portone_pg::ErrorKind::NotSuccess) when the response does not claim success \
         ([`outcome`](Self::outcome) is a failure or unknown); \
         [`ErrorKind::Incomplete`](::portone_pg::ErrorKind::Incomplete) when it claims success but lacks a \
         property {} always sends on success{plain}.",
        pg.name
    )
}

fn success_rule(schema: &Schema, pg: &Pg) -> String {
    let name = |role| {
        schema
            .role(role)
            .map_or("?".to_owned(), |(_, f)| format!("`{}`", f.name))
    };
    match pg.success {
        SuccessRule::Flag => format!(
            "`flag`: the {} flag decides; without it an error code or message means failure, else an `imp_uid` means success (the official SDKs' rule)",
            name(Role::SuccessFlag)
        ),
        SuccessRule::NoError => {
            let flag = match schema.role(Role::SuccessFlag) {
                Some((index, field)) if pg.presence(index).is_some() => format!(
                    "; a `{}` flag, when one arrives (a redirect's `imp_success`), decides first",
                    field.name
                ),
                _ => String::new(),
            };
            format!(
                "`no_error`: a non-empty {} with no {} or {} means success{flag}",
                name(Role::PaymentId),
                name(Role::ErrorCode),
                name(Role::ErrorMessage)
            )
        }
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A doctest parsing the smallest success this schema allows, built from the
/// catalogue's example values, and reading the success view.
fn example(schema: &Schema, pg: &Pg) -> String {
    let mut members = Vec::new();
    for (index, presence) in &pg.fields {
        let field = &schema.fields[*index];
        let value = match field.role {
            Some(Role::Tag) => format!("\"{}\"", pg.code),
            Some(Role::SuccessFlag) if pg.success == SuccessRule::Flag => "true".to_owned(),
            Some(Role::ErrorCode | Role::ErrorMessage) => continue,
            _ if *presence == Presence::Optional => continue,
            _ => match &field.example {
                Some(example) => example.clone(),
                None => continue,
            },
        };
        members.push(format!("\"{}\": {value}", field.name));
    }
    let body = format!("{{{}}}", members.join(", "));
    let variant = &pg.type_name;
    let mut reads = String::new();
    if let Some((index, field)) = schema.role(Role::PaymentId)
        && matches!(
            pg.presence(index),
            Some(Presence::Always | Presence::OnSuccess)
        )
    {
        let _ = writeln!(reads, "let imp_uid: &str = &success.{};", field.name);
        let _ = writeln!(reads, "assert!(!imp_uid.is_empty());");
    }
    format!(
        "\n# Example\n\n```\nuse portone_pg::{{{module}, {dispatcher}}};\n\n\
         let body = r##\"{body}\"##;\n\
         let {dispatcher}::{variant}(response) = {dispatcher}::from_json_with_pg(\"{code}\", body.as_bytes())? else {{\n    \
         panic!(\"dispatched by the pg hint\");\n}};\n\
         assert!(response.outcome().is_success());\n\
         let success: {module}::{variant}Success = response.into_success()?;\n\
         {reads}\
         # Ok::<(), portone_pg::Error>(())\n```\n",
        code = pg.code,
        module = schema.flow.module(),
        dispatcher = schema.flow.dispatcher(),
    )
}
