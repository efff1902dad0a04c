//! Property tests: arbitrary JSON values and byte strings never panic any
//! parser and keep the fuzz checks' invariants (one pass = two pass,
//! serialize/parse round trip); generated valid callbacks round-trip to the
//! JSON they came from.

use crate::checks;

use portone_pg::PaymentResponse;
use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// Keys the parsers know, so generated objects reach the typed paths.
const KEYS: &[&str] = &[
    "pg_provider",
    "imp_uid",
    "merchant_uid",
    "success",
    "imp_success",
    "paid_amount",
    "amount",
    "status",
    "pay_method",
    "currency",
    "paid_at",
    "vbank_date",
    "card_quota",
    "custom_data",
    "error_code",
    "error_msg",
    "buyer_tel",
    "txId",
    "paymentId",
    "code",
    "message",
    "response",
    "cancel_history",
    "extra",
    "emb_pg_provider",
    "customer_uid",
    "x",
];

const CODES: &[&str] = &[
    "kcp",
    "html5_inicis",
    "inicis_unified",
    "tosspayments",
    "nice_V2",
    "kakaopay",
    "danal",
    "newpg",
    "null",
    "",
];

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        proptest::sample::select(CODES).prop_map(Value::from),
        "[0-9.e+-]{0,12}".prop_map(Value::from),
        "(true|false|null|paid|ready|card|KRW|\\PC{0,8})".prop_map(Value::from),
    ]
}

/// Any JSON value, objects biased towards known keys.
fn json_value() -> impl Strategy<Value = Value> {
    scalar().prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        proptest::sample::select(KEYS).prop_map(str::to_owned),
                        "\\PC{0,6}"
                    ],
                    inner
                ),
                0..10
            )
            .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A JSON object, with a REST envelope around it half the time.
fn json_object() -> impl Strategy<Value = Value> {
    prop::collection::vec((proptest::sample::select(KEYS), json_value()), 0..14).prop_map(
        |entries| {
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), v))
                    .collect(),
            )
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics_and_keeps_the_invariants(value in json_value(), object in json_object(), pick in any::<u8>()) {
        for value in [&value, &object, &json!({"code": 0, "message": null, "response": object})] {
            let bytes = serde_json::to_vec(value).unwrap();
            checks::payment_from_json(&bytes);
            checks::payment_from_json_with_pg(&[&[pick], bytes.as_slice()].concat());
            checks::webhook_from_body(&[&[pick], bytes.as_slice()].concat());
            checks::rest_payment(&bytes);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        checks::payment_from_json(&bytes);
        checks::payment_from_json_with_pg(&bytes);
        checks::redirect_from_query(&bytes);
        checks::webhook_from_body(&bytes);
        checks::rest_payment(&bytes);
    }

    #[test]
    fn arbitrary_query_strings_never_panic(pairs in prop::collection::vec(("(imp_uid|merchant_uid|imp_success|success|error_msg|\\PC{0,5})", "(%[0-9a-fA-FzZ]{0,2}|\\PC{0,6}|true|false|&|=)*"), 0..6)) {
        let query: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        checks::redirect_from_query(query.join("&").as_bytes());
        checks::webhook_from_body(&[&[1u8], query.join("&").as_bytes()].concat());
    }

    #[test]
    fn generated_kcp_callbacks_round_trip(
        imp_uid in "imp_[0-9]{12}",
        merchant_uid in "[a-z0-9-]{1,20}",
        success in prop_oneof![Just(json!(true)), Just(json!(false)), Just(json!("true")), Just(json!("false"))],
        amount in prop_oneof![(0u64..10_000_000).prop_map(Value::from), (0u64..10_000_000).prop_map(|n| Value::from(n.to_string())), Just(json!("10.50"))],
        paid_at in prop_oneof![(0i64..2_000_000_000).prop_map(Value::from), (0i64..2_000_000_000).prop_map(|n| Value::from(n.to_string()))],
        status in proptest::sample::select(&["paid", "ready", "failed", "cancelled", "brand_new"][..]),
        pay_method in proptest::sample::select(&["card", "vbank", "trans", "phone", "kakaopay", "new_method"][..]),
        name in "\\PC{0,16}",
        custom_data in json_value(),
        extra_key in "[a-z]{1,8}_new",
        extra_value in scalar(),
    ) {
        let mut body = json!({
            "pg_provider": "kcp", "imp_uid": imp_uid, "merchant_uid": merchant_uid, "success": success,
            "paid_amount": amount, "paid_at": paid_at, "status": status, "pay_method": pay_method,
            "name": name, "custom_data": custom_data, "currency": "KRW",
        });
        body.as_object_mut().unwrap().insert(format!("x_{extra_key}"), extra_value);
        let bytes = serde_json::to_vec(&body).unwrap();
        let response = PaymentResponse::from_json(&bytes).unwrap();
        prop_assert!(matches!(response, PaymentResponse::Kcp(_)));
        // Serializing gives the received object back: for the PG's own
        // properties null, "null" and absent are one; unknown keys keep theirs.
        let mut expected = body.as_object().unwrap().clone();
        expected.retain(|k, v| k.starts_with("x_") || (!v.is_null() && *v != json!("null")));
        prop_assert_eq!(serde_json::to_value(&response).unwrap(), Value::Object(expected));
        let again = PaymentResponse::from_json(&serde_json::to_vec(&response).unwrap()).unwrap();
        prop_assert_eq!(again, response);
    }
}
