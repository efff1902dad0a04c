//! `src/window/observed.rs`, the keys real callbacks were seen with per PG
//! and outcome, is generated from the bundled captures
//! (`tests/fixtures/callbacks`, the `real` and `documented` ones): this
//! test fails when it is out of date, and
//! `UPDATE_OBSERVED=1 cargo test -p portone-pg-fake --test observed`
//! writes it.
#![cfg(feature = "window")]

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use portone_pg::{Outcome, PaymentResponse};
use serde_json::Value;

fn generated() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/callbacks");
    let manifest: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let mut seen: BTreeMap<(String, bool), BTreeSet<String>> = BTreeMap::new();
    for entry in &manifest {
        let source = entry["source"].as_str().unwrap();
        if !(source.starts_with("real") || source.starts_with("documented")) {
            continue;
        }
        let file = entry["file"].as_str().unwrap();
        let body = std::fs::read(dir.join(file)).unwrap();
        let response = match entry["pg"].as_str() {
            Some(pg) => PaymentResponse::from_json_with_pg(pg, &body),
            None => PaymentResponse::from_json(&body),
        }
        .unwrap();
        let (Some(pg), outcome) = (response.provider(), response.outcome()) else {
            continue;
        };
        let success = match outcome {
            Outcome::Success => true,
            Outcome::Failure { .. } => false,
            _ => continue,
        };
        // Serializing names each key as the catalogue does (aliases
        // resolved); keys the PG's schema does not list stay out.
        let schema = pg.payment_schema().unwrap_or_default();
        let written = serde_json::to_value(&response).unwrap();
        let keys = written
            .as_object()
            .unwrap()
            .keys()
            .filter(|k| schema.iter().any(|f| f.name == k.as_str()))
            .cloned();
        seen.entry((pg.to_string(), success))
            .or_default()
            .extend(keys);
    }
    let mut out = String::from(
        "//! The keys real callbacks were seen with, per PG and outcome: generated\n\
         //! from the bundled captures (`tests/fixtures/callbacks`, the `real` and\n\
         //! `documented` ones) by `fake/tests/observed.rs`; regenerate with\n\
         //! `UPDATE_OBSERVED=1 cargo test -p portone-pg-fake --test observed`.\n\n\
         /// (PG code, success, the keys seen).\n\
         #[rustfmt::skip]\n\
         pub(crate) const OBSERVED: &[(&str, bool, &[&str])] = &[\n",
    );
    for ((pg, success), keys) in &seen {
        let list: Vec<String> = keys.iter().map(|k| format!("{k:?}")).collect();
        out.push_str(&format!(
            "    ({pg:?}, {success}, &[{}]),\n",
            list.join(", ")
        ));
    }
    out.push_str("];\n");
    out
}

#[test]
fn the_observed_table_is_generated_from_the_captures() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/window/observed.rs");
    let expected = generated();
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != expected && std::env::var_os("UPDATE_OBSERVED").is_some() {
        std::fs::write(&path, &expected).unwrap();
        return;
    }
    assert_eq!(
        current, expected,
        "src/window/observed.rs is out of date: UPDATE_OBSERVED=1 cargo test -p portone-pg-fake --test observed"
    );
}
