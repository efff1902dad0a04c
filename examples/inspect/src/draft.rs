//! `--draft-schema`: a PG's schema file written from captured responses.
//!
//! Every key is resolved to its catalogue name (aliases too) and its value
//! checked against the catalogue's type. Presence is inferred across the
//! samples: in every sample, failures among them, `always`; in every
//! success, `on_success`; otherwise `optional`. A success flag in every
//! callback makes the rule `flag`, else `no_error`; the fields the rule
//! reads, and a failure's error fields when no sample failed, are listed
//! even when no sample carried them. The shape that needs
//! the fewest changes is picked. Keys the catalogue does not know are
//! listed as comments with their JSON types, never their values.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use portone_pg::PgProvider;
use portone_pg_schema::model::Role;

use crate::input::Channel;
use crate::sample::{Catalogue, Claim, Sample};

/// A drafted schema file.
pub struct Draft {
    pub code: String,
    /// The file's text.
    pub toml: String,
    /// Keys no catalogue field names, with their JSON types.
    pub unknown: Vec<(String, &'static str)>,
}

/// Drafts the schema of the PG the samples come from.
///
/// # Errors
///
/// Samples of different PGs, no PG named, a known field of the wrong type:
/// the message names the sample.
pub fn draft(samples: &[Sample], catalogue: &Catalogue) -> Result<Draft, String> {
    let code = one_pg(samples)?;
    for sample in samples {
        if let Some((key, ty, found)) = sample.mistyped.first() {
            return Err(format!(
                "{}: `{key}` is not a valid {ty} (found a JSON {found}); fix the sample or the catalogue's type",
                sample.name
            ));
        }
    }
    let fields = &catalogue.schema.fields;
    let successes: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.claim == Claim::Success)
        .collect();
    let failures = samples.iter().filter(|s| s.claim == Claim::Failure).count();
    let seen: Vec<usize> = (0..fields.len())
        .filter(|i| samples.iter().any(|s| s.known.contains_key(i)))
        .collect();
    let mut presence: BTreeMap<usize, &'static str> = seen
        .iter()
        .map(|&i| {
            let grade = if failures > 0 && samples.iter().all(|s| s.has(i)) {
                "always"
            } else if !successes.is_empty() && successes.iter().all(|s| s.has(i)) {
                "on_success"
            } else {
                "optional"
            };
            (i, grade)
        })
        .collect();
    // The rule, and the fields it reads, which must be listed. A flag in
    // every callback decides (legacy PGs); one only in redirects is the
    // `imp_success` every redirect carries, which `no_error` reads too.
    let flag = catalogue.role(Role::SuccessFlag).map(|(i, _)| i);
    let callbacks: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.channel == Channel::Callback)
        .collect();
    let decides = |i: usize| match callbacks.is_empty() {
        true => samples.iter().all(|s| s.has(i)),
        false => callbacks.iter().all(|s| s.has(i)),
    };
    let rule = match flag {
        Some(i) if decides(i) => "flag",
        _ => "no_error",
    };
    let mut implied = Vec::new();
    // Without a failure among the samples, nothing shows whether failures
    // carry the error fields; a failure without them could not say why.
    if failures == 0 {
        for role in [Role::ErrorCode, Role::ErrorMessage] {
            if let Some((i, field)) = catalogue.role(role)
                && let std::collections::btree_map::Entry::Vacant(entry) = presence.entry(i)
            {
                entry.insert("optional");
                implied.push(field.name.clone());
            }
        }
    }
    if rule == "no_error" {
        let mut need = |roles: &[Role]| {
            let indexes: Vec<usize> = roles
                .iter()
                .filter_map(|r| catalogue.role(*r).map(|(i, _)| i))
                .collect();
            if !indexes.iter().any(|i| presence.contains_key(i)) {
                for i in indexes {
                    presence.insert(i, "optional");
                    implied.push(fields[i].name.clone());
                }
            }
        };
        need(&[Role::PaymentId]);
        need(&[Role::ErrorCode, Role::ErrorMessage]);
    }
    let (shape, delta) = best_shape(&presence, catalogue);

    let name = PgProvider::from_code(&code)
        .name()
        .map_or_else(|| code.clone(), str::to_owned);
    let mut unknown: Vec<(String, &'static str)> = Vec::new();
    for sample in samples {
        for (key, ty) in &sample.unknown {
            if !unknown.iter().any(|(k, _)| k == key) {
                unknown.push((key.clone(), ty));
            }
        }
    }
    let files: Vec<&str> = samples.iter().map(|s| s.name.as_str()).collect();
    let unclear = samples.len() - successes.len() - failures;

    let mut toml = String::new();
    let out = &mut toml;
    let _ = writeln!(
        out,
        "# Drafted by `cargo run --example inspect -- --draft-schema` from {} sample{}.\n\
         # Review it before use: presence is what these samples show, no more.",
        samples.len(),
        if samples.len() == 1 { "" } else { "s" }
    );
    let _ = writeln!(out, "code = {}", string(&code));
    let _ = writeln!(out, "name = {}", string(&name));
    let _ = writeln!(
        out,
        "doc = {}",
        string(&format!(
            "{name}, drafted from captured responses ({}).",
            files.join(", ")
        ))
    );
    if let Some(shape) = &shape {
        let _ = writeln!(out, "shape = {}", string(shape));
    }
    let _ = writeln!(out, "success = {}", string(rule));
    let _ = writeln!(out, "evidence = \"observed\"");
    let _ = writeln!(out, "sources = [");
    for sample in samples {
        let what = format!(
            "{} — a {} claiming {}",
            sample.name,
            sample.channel.name(),
            sample.claim.word()
        );
        let _ = writeln!(out, "  {},", string(&what));
    }
    let _ = writeln!(out, "]");
    let mut notes = format!(
        "Presence from {} samples: {} claiming success, {failures} failure, {unclear} unclear. \
         A field in every sample is `always` only when failures were among them; one in every \
         success is `on_success`; the rest `optional`.",
        samples.len(),
        successes.len()
    );
    if !implied.is_empty() {
        let _ = write!(
            notes,
            " Listed though no sample carried them, since the `{rule}` rule or a failure reads them: {}.",
            implied.join(", ")
        );
    }
    let _ = writeln!(out, "notes = {}", string(&notes));
    if !delta.is_empty() {
        let _ = writeln!(out, "\n[fields]");
        for (field, grade) in &delta {
            let _ = writeln!(out, "{field} = {}", string(grade));
        }
    }
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "\n# Keys the catalogue (schemas/fields.toml) does not know, kept untyped in\n\
             # `extra`; add one there to type it. Their JSON types, never their values:"
        );
        for (key, ty) in &unknown {
            let _ = writeln!(out, "#   {key}: {ty}");
        }
    }
    Ok(Draft {
        code,
        toml,
        unknown,
    })
}

/// The one PG the samples come from.
fn one_pg(samples: &[Sample]) -> Result<String, String> {
    let mut found: Option<(&str, &str)> = None;
    for sample in samples {
        match (&sample.pg, found) {
            (Some(code), None) => found = Some((code, &sample.name)),
            (Some(code), Some((first, from))) if code != first => {
                return Err(format!(
                    "{}: a response of `{code}`, but {from} is one of `{first}`: draft one PG at a time",
                    sample.name
                ));
            }
            _ => {}
        }
    }
    match found {
        Some((code, _)) => Ok(code.to_owned()),
        None => Err(
            "no sample names its PG (no pg_provider): give the request's `pg` with --pg CODE"
                .into(),
        ),
    }
}

/// The shape needing the fewest `[fields]` entries, and those entries; no
/// shape when every field listed is fewer.
fn best_shape(
    presence: &BTreeMap<usize, &'static str>,
    catalogue: &Catalogue,
) -> (Option<String>, Vec<(String, String)>) {
    let fields = &catalogue.schema.fields;
    let plain: Vec<(String, String)> = presence
        .iter()
        .map(|(&i, grade)| (fields[i].name.clone(), (*grade).to_owned()))
        .collect();
    let mut best = (None, plain);
    for (shape, listed) in &catalogue.shapes {
        let mut delta = Vec::new();
        for (&i, grade) in presence {
            let name = &fields[i].name;
            if !listed.iter().any(|(n, g)| n == name && g == grade) {
                delta.push((name.clone(), (*grade).to_owned()));
            }
        }
        for (name, _) in listed {
            if !presence.keys().any(|&i| &fields[i].name == name) {
                delta.push((name.clone(), "never".to_owned()));
            }
        }
        if delta.len() < best.1.len() {
            // Catalogue order, as a reader expects.
            delta.sort_by_key(|(name, _)| fields.iter().position(|f| &f.name == name));
            best = (Some(shape.clone()), delta);
        }
    }
    best
}

/// A TOML basic string: JSON's escapes are TOML's, and TOML also wants
/// DEL escaped.
fn string(text: &str) -> String {
    serde_json::to_string(text)
        .unwrap_or_else(|_| "\"\"".into())
        .replace('\u{7f}', "\\u007F")
}
