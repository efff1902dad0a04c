//! What the integration tests share: where fixtures are, the one manifest
//! format every fixture kind uses, the PG codes with a schema, and short
//! names for results. Each test binary uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use portone_pg::{Outcome, PaymentResponse};
use serde::Deserialize;

/// The repository root.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<kind>`: `callbacks`, `redirects`, `certification`,
/// `webhooks`, `rest`.
pub fn fixture_dir(kind: &str) -> PathBuf {
    root().join("tests/fixtures").join(kind)
}

/// A fixture's bytes.
pub fn read(kind: &str, file: &str) -> Vec<u8> {
    let path = fixture_dir(kind).join(file);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A text fixture (a query string, a URL, a form body) without the
/// trailing newline.
pub fn read_text(kind: &str, file: &str) -> String {
    String::from_utf8(read(kind, file))
        .unwrap()
        .trim()
        .to_owned()
}

/// One entry of a fixture manifest (`tests/fixtures/<kind>/manifest.json`),
/// the same format for every kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fixture {
    /// The file, in the manifest's directory.
    pub file: String,
    /// The request's `pg` parameter to parse it with, if any.
    pub pg: Option<String>,
    /// What it must parse to, in the kind's words: `"<variant> <outcome>"`
    /// for callbacks, redirects and certifications (`"unknown"` for no
    /// variant); the status for webhooks and REST objects (`"api <code>"`
    /// for an API error).
    pub expect: String,
    /// Where it comes from.
    pub source: String,
    /// What it shows.
    pub note: String,
}

/// Every entry of a kind's manifest.
pub fn manifest(kind: &str) -> Vec<Fixture> {
    serde_json::from_slice(&read(kind, "manifest.json"))
        .unwrap_or_else(|e| panic!("{kind}/manifest.json: {e}"))
}

/// Every `pg_provider` code with a payment schema file.
pub fn pg_codes() -> Vec<String> {
    let mut codes: Vec<String> = std::fs::read_dir(root().join("schemas/pg"))
        .unwrap()
        .map(|entry| {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let schema: toml::Table = text.parse().unwrap();
            schema["code"].as_str().unwrap().to_owned()
        })
        .collect();
    codes.sort();
    codes
}

/// `success`, `failure` or `unknown`.
pub fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Success => "success",
        Outcome::Failure { .. } => "failure",
        Outcome::Unknown => "unknown",
    }
}

/// The PG code of a typed variant; `None` for `Unknown`.
pub fn variant(response: &PaymentResponse) -> Option<String> {
    match response {
        PaymentResponse::Unknown(_) => None,
        known => known.provider().map(|p| p.to_string()),
    }
}

/// A claim as a manifest says it: `"<variant> <outcome>"`.
pub fn claim(response: &PaymentResponse) -> String {
    format!(
        "{} {}",
        variant(response).as_deref().unwrap_or("unknown"),
        outcome_name(&response.outcome())
    )
}
