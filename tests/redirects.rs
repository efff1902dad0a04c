//! Redirect query strings (pg-facts §5) read by the payment dispatcher.

use std::path::{Path, PathBuf};

use portone_pg::{ErrorKind, Outcome, PaymentResponse};
use serde_json::Value;

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/redirects")
}

fn query(file: &str) -> String {
    std::fs::read_to_string(dir().join(file))
        .unwrap()
        .trim()
        .to_owned()
}

#[test]
fn every_redirect_reaches_its_variant_and_outcome() {
    let manifest: Vec<Value> =
        serde_json::from_slice(&std::fs::read(dir().join("manifest.json")).unwrap()).unwrap();
    let mut listed: Vec<&str> = manifest
        .iter()
        .map(|e| e["file"].as_str().unwrap())
        .collect();
    let mut present: Vec<String> = std::fs::read_dir(dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".query"))
        .collect();
    listed.sort_unstable();
    present.sort();
    assert_eq!(listed, present);
    for entry in &manifest {
        let file = entry["file"].as_str().unwrap();
        let text = query(file);
        let response = match entry["pg"].as_str() {
            Some(pg) => PaymentResponse::from_query_with_pg(pg, &text),
            None => PaymentResponse::from_query(&text),
        }
        .unwrap_or_else(|e| panic!("{file}: {e}"));
        let variant = match &response {
            PaymentResponse::Unknown(_) => None,
            known => known.provider().map(|p| p.to_string()),
        };
        assert_eq!(variant.as_deref(), entry["variant"].as_str(), "{file}");
        let outcome = match response.outcome() {
            Outcome::Success => "success",
            Outcome::Failure { .. } => "failure",
            Outcome::Unknown => "unknown",
        };
        assert_eq!(outcome, entry["outcome"], "{file}");
        let pairs: Vec<(&str, &str)> = text.split('&').filter_map(|p| p.split_once('=')).collect();
        let get = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
        assert_eq!(response.imp_uid(), get("imp_uid"), "{file}");
        assert_eq!(response.merchant_uid(), get("merchant_uid"), "{file}");
    }
}

#[test]
fn a_redirect_claim_is_incomplete_as_a_success_view() {
    let response =
        PaymentResponse::from_query_with_pg("kcp", &query("kcp_mobile_vbank_issued.query"))
            .unwrap();
    let PaymentResponse::Kcp(kcp) = response else {
        panic!()
    };
    assert_eq!(kcp.success.map(|f| f.get()), Some(true));
    let err = kcp.into_success().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Incomplete);
}

#[test]
fn failure_messages_are_decoded_and_kept_verbatim() {
    let response =
        PaymentResponse::from_query_with_pg("nice", &query("nice_easypay_cancel.query")).unwrap();
    assert_eq!(
        response.outcome(),
        Outcome::Failure {
            code: None,
            message: Some("에러코드 : ".into())
        }
    );
}
