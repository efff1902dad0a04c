//! Personal data (the catalogue's `pii = true` properties: buyer_*,
//! card_number, vbank_num, customer_uid) never appears in `Debug` output nor
//! in an error message; `Serialize` still writes it.

use crate::support;

use std::fs;

use portone_pg::rest::{ApiResponse, Payment};
use portone_pg::{PaymentResponse, RedirectResult, Webhook};
use serde_json::{Map, Value, json};

use support::root;

/// The catalogue's personal-data properties, read from the schema file.
fn personal_keys() -> Vec<String> {
    let text = fs::read_to_string(root().join("schemas/fields.toml")).unwrap();
    let catalogue: toml::Table = text.parse().unwrap();
    let keys: Vec<String> = catalogue
        .iter()
        .filter(|(_, field)| field.get("pii").and_then(toml::Value::as_bool) == Some(true))
        .map(|(name, _)| name.clone())
        .collect();
    assert!(keys.len() >= 8, "{keys:?}");
    keys
}

/// Values of personal properties in `object` worth searching for.
fn personal_values(object: &Map<String, Value>, keys: &[String]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| object.get(k).and_then(Value::as_str))
        .filter(|v| v.len() >= 4 && *v != "null")
        .map(str::to_owned)
        .collect()
}

fn fixtures(kind: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(support::fixture_dir(kind))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json") && !p.ends_with("manifest.json"))
        .map(|p| (p.display().to_string(), fs::read(&p).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn debug_of_every_parsed_fixture_hides_personal_values_serialize_keeps_them() {
    let keys = personal_keys();
    let mut checked = 0;
    for (name, body) in fixtures("callbacks") {
        let object: Map<String, Value> = serde_json::from_slice(&body).unwrap();
        let secrets = personal_values(&object, &keys);
        // Parsed as its own PG, and as a PG of another shape (the values go
        // to `extra`), and as no known PG (every key kept).
        let own = PaymentResponse::from_json(&body).ok();
        let thin = PaymentResponse::from_json_with_pg("tosspayments", &body).ok();
        let unknown = PaymentResponse::from_json_with_pg("newpg", &body).ok();
        for response in [own, thin, unknown].into_iter().flatten() {
            let debug = format!("{response:?} {response:#?}");
            let serialized = serde_json::to_string(&response).unwrap();
            for secret in &secrets {
                assert!(
                    !debug.contains(secret.as_str()),
                    "{name}: Debug shows {secret:?}: {debug}"
                );
                let escaped = serde_json::to_string(secret).unwrap();
                assert!(
                    serialized.contains(&escaped),
                    "{name}: Serialize lost {secret:?}"
                );
                checked += 1;
            }
            if let Ok(success) = match response {
                PaymentResponse::Kcp(kcp) => kcp.into_success().map(|s| format!("{s:?}")),
                _ => Ok(String::new()),
            } {
                for secret in &secrets {
                    assert!(
                        !success.contains(secret.as_str()),
                        "{name}: success Debug shows {secret:?}"
                    );
                }
            }
        }
    }
    assert!(checked >= 50, "{checked}");
}

#[test]
fn debug_of_rest_webhook_and_redirect_hides_personal_values() {
    let keys = personal_keys();
    let payment = json!({
        "imp_uid": "imp_1", "merchant_uid": "o-1", "amount": 1004, "status": "paid",
        "buyer_name": "홍길동", "buyer_tel": "010-9876-5432", "buyer_email": "gildong@example.com",
        "buyer_addr": "서울 어딘가 1번지", "buyer_postcode": "04524", "card_number": "536112******1234",
        "vbank_num": "56211105948400", "customer_uid": "cust_gildong_01",
        "deposit_history": [{"depositor_name": "홍길동", "amount": 1004, "deposited_at": 1}],
        "a_new_key": "buyer-ish 010-1111-2222"
    });
    let body = json!({"code": 0, "message": null, "response": payment}).to_string();
    let payment = ApiResponse::<Payment>::from_json(body.as_bytes())
        .unwrap()
        .into_result()
        .unwrap();
    let debug = format!("{payment:#?}");
    for secret in [
        "홍길동",
        "010-9876-5432",
        "gildong@example.com",
        "서울 어딘가",
        "04524",
        "536112",
        "56211105948400",
        "cust_gildong_01",
        "010-1111-2222",
    ] {
        assert!(
            !debug.contains(secret),
            "REST Debug shows {secret:?}: {debug}"
        );
    }
    assert!(
        serde_json::to_string(&payment)
            .unwrap()
            .contains("010-9876-5432")
    );

    let webhook = Webhook::from_body(
        "application/x-www-form-urlencoded",
        b"imp_uid=imp_1&merchant_uid=o-1&status=paid&buyer_tel=010-9876-5432",
    )
    .unwrap();
    assert!(!format!("{webhook:?}").contains("9876"));

    let redirect = RedirectResult::from_query(
        "imp_uid=imp_1&merchant_uid=o-1&imp_success=true&buyer_name=%ED%99%8D%EA%B8%B8%EB%8F%99",
    )
    .unwrap();
    let debug = format!("{redirect:?}");
    assert!(!debug.contains("홍길동"), "{debug}");
    assert!(debug.contains("imp_1"), "ids stay visible: {debug}");
    assert!(!keys.is_empty());
}

#[test]
fn errors_never_repeat_a_personal_value() {
    let keys = personal_keys();
    let wrong_values = [
        json!(9876543210u64),
        json!(-987654.25),
        json!(true),
        json!({"secret": "SECRETVAL"}),
        json!(["SECRETVAL"]),
    ];
    let mut checked = 0;
    for key in &keys {
        for value in &wrong_values {
            // A full-shape PG lists every personal property but customer_uid;
            // kcp_billing lists that one.
            for pg in ["kcp", "kcp_billing"] {
                let body = json!({"pg_provider": pg, "merchant_uid": "o", key.as_str(): value});
                let Err(error) = PaymentResponse::from_json(body.to_string().as_bytes()) else {
                    continue;
                };
                let text = format!("{error} {error:?}");
                for secret in ["9876543210", "987654", "SECRETVAL", "true"] {
                    assert!(!text.contains(secret), "{key} = {value}: {text}");
                }
                assert_eq!(error.field(), Some(key.as_str()), "{text}");
                assert!(error.position().is_some(), "{text}");
                checked += 1;
            }
            let rest = json!({"code": 0, "message": null, "response": {
                "imp_uid": "i", "merchant_uid": "o", "amount": 1, "status": "paid", key.as_str(): value}});
            if let Err(error) = ApiResponse::<Payment>::from_json(rest.to_string().as_bytes()) {
                let text = format!("{error} {error:?}");
                for secret in ["9876543210", "987654", "SECRETVAL", "true"] {
                    assert!(!text.contains(secret), "REST {key} = {value}: {text}");
                }
                checked += 1;
            }
        }
    }
    assert!(checked >= 80, "{checked}");
}
