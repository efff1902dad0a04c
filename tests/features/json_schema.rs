//! The JSON Schemas (feature `schemars`) accept every bundled real-world
//! response of their PG, and refuse what the parse refuses.
#![cfg(feature = "schemars")]

use crate::support;

use portone_pg::rest::{Payment, PaymentPage};
use portone_pg::{PaymentResponse, Webhook, pg};
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::Value;

fn validator<T: JsonSchema>() -> jsonschema::Validator {
    let schema = SchemaGenerator::default().into_root_schema_for::<T>();
    jsonschema::validator_for(&Value::from(schema)).unwrap()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect()
}

#[test]
fn every_callback_fixture_validates_against_its_pg_schema_and_the_dispatcher() {
    let schemas = PaymentResponse::json_schemas();
    assert_eq!(schemas.len(), support::pg_codes().len());
    let dispatcher = validator::<PaymentResponse>();
    let mut checked = 0;
    for fixture in support::manifest("callbacks") {
        let body = support::read("callbacks", &fixture.file);
        let parsed = match &fixture.pg {
            Some(hint) => PaymentResponse::from_json_with_pg(hint, &body),
            None => PaymentResponse::from_json(&body),
        };
        let instance: Value = serde_json::from_slice(&body).unwrap();
        let Ok(response) = parsed else { continue };
        assert!(
            errors(&dispatcher, &instance).is_empty(),
            "{}",
            fixture.file
        );
        let Some(code) = support::variant(&response) else {
            continue;
        };
        let (_, schema) = schemas.iter().find(|(c, _)| *c == code).unwrap();
        let validator = jsonschema::validator_for(&Value::from(schema.clone())).unwrap();
        let found = errors(&validator, &instance);
        assert!(found.is_empty(), "{} ({code}): {found:?}", fixture.file);
        checked += 1;
    }
    assert!(checked >= 55, "only {checked} fixtures checked");
}

#[test]
fn the_schema_refuses_what_the_typed_parse_refuses() {
    let kcp = validator::<pg::Kcp>();
    let good: Value =
        serde_json::from_slice(&support::read("callbacks", "kcp_card_paid_docs.json")).unwrap();
    assert!(errors(&kcp, &good).is_empty());
    for (key, bad) in [
        ("paid_amount", serde_json::json!("lots")),
        ("success", serde_json::json!(3)),
        ("paid_at", serde_json::json!(true)),
    ] {
        let mut instance = good.clone();
        instance[key] = bad;
        assert!(!errors(&kcp, &instance).is_empty(), "{key}");
        let body = serde_json::to_vec(&instance).unwrap();
        assert!(
            PaymentResponse::from_json_with_pg("kcp", &body).is_err(),
            "{key}"
        );
    }
    // An always-sent property missing, under neither of its names.
    let mut missing = good.clone();
    missing.as_object_mut().unwrap().remove("merchant_uid");
    assert!(!errors(&kcp, &missing).is_empty());
    // The success view requires what KCP always sends on success.
    let success = validator::<pg::KcpSuccess>();
    assert!(errors(&success, &good).is_empty());
    let mut incomplete = good.clone();
    incomplete.as_object_mut().unwrap().remove("paid_amount");
    assert!(!errors(&success, &incomplete).is_empty());
    assert!(errors(&kcp, &incomplete).is_empty());
}

#[test]
fn rest_objects_and_webhooks_validate() {
    let payment = validator::<Payment>();
    for fixture in support::manifest("rest") {
        let body: Value = serde_json::from_slice(&support::read("rest", &fixture.file)).unwrap();
        if body["code"] == 0 {
            let found = errors(&payment, &body["response"]);
            assert!(found.is_empty(), "{}: {found:?}", fixture.file);
        }
    }
    let _ = validator::<PaymentPage>();
    let webhook = validator::<Webhook>();
    for fixture in support::manifest("webhooks") {
        if !fixture.file.ends_with(".json") {
            continue;
        }
        let body: Value =
            serde_json::from_slice(&support::read("webhooks", &fixture.file)).unwrap();
        let found = errors(&webhook, &body);
        assert!(found.is_empty(), "{}: {found:?}", fixture.file);
    }
}
