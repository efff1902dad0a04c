//! The bundled callback objects: ids, round trips, serde, success views.

use crate::support;

use portone_pg::{Amount, Outcome, PayMethod, PaymentResponse, PgProvider, Status, pg};
use serde_json::{Map, Value};
use support::Fixture;

fn manifest() -> Vec<Fixture> {
    support::manifest("callbacks")
}

fn read(file: &str) -> Vec<u8> {
    support::read("callbacks", file)
}

fn parse(case: &Fixture) -> PaymentResponse {
    let body = read(&case.file);
    let parsed = match &case.pg {
        Some(pg) => PaymentResponse::from_json_with_pg(pg, &body),
        None => PaymentResponse::from_json(&body),
    };
    parsed.unwrap_or_else(|e| panic!("{}: {e}", case.file))
}

/// The variant and outcome are checked with every other kind's in
/// `tests/parsing/manifests.rs`; here, the ids each accessor reads.
#[test]
fn every_fixture_names_its_ids() {
    for case in manifest() {
        let response = parse(&case);
        let original: Value = serde_json::from_slice(&read(&case.file)).unwrap();
        let id = |name: &str, alias: &str| {
            original[name]
                .as_str()
                .or(original[alias].as_str())
                .filter(|id| *id != "null" && !id.is_empty())
        };
        assert_eq!(
            response.merchant_uid(),
            id("merchant_uid", "paymentId"),
            "{}",
            case.file
        );
        assert_eq!(response.imp_uid(), id("imp_uid", "txId"), "{}", case.file);
    }
}

/// `null` (and the Flutter bridge's `"null"`) is the same as absent, and an
/// alias key may come back under its field's name.
fn normalize(value: &Value, like: &Value) -> Map<String, Value> {
    const ALIASES: &[(&str, &str)] = &[
        ("imp_success", "success"),
        ("txId", "imp_uid"),
        ("paymentId", "merchant_uid"),
        ("code", "error_code"),
        ("message", "error_msg"),
    ];
    let mut map: Map<String, Value> = value
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_null() && v.as_str() != Some("null"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (alias, name) in ALIASES {
        if like.get(*name).is_some()
            && like.get(*alias).is_none()
            && let Some(v) = map.remove(*alias)
        {
            map.insert((*name).to_owned(), v);
        }
    }
    map
}

#[test]
fn every_fixture_serializes_back_to_what_was_received() {
    for case in manifest() {
        let original: Value = serde_json::from_slice(&read(&case.file)).unwrap();
        let response = parse(&case);
        let written = serde_json::to_value(&response).unwrap();
        assert_eq!(
            normalize(&written, &written),
            normalize(&original, &written),
            "{}",
            case.file
        );
        // And what was written parses to the same value again.
        let again = match &case.pg {
            Some(pg) => {
                PaymentResponse::from_json_with_pg(pg, &serde_json::to_vec(&written).unwrap())
            }
            None => PaymentResponse::from_json(&serde_json::to_vec(&written).unwrap()),
        }
        .unwrap();
        assert_eq!(again, response, "{}", case.file);
    }
}

#[test]
fn serde_deserialize_agrees_with_from_json() {
    for case in manifest().into_iter().filter(|c| c.pg.is_none()) {
        let via_serde: PaymentResponse = serde_json::from_slice(&read(&case.file)).unwrap();
        assert_eq!(via_serde, parse(&case), "{}", case.file);
    }
}

#[test]
fn bodies_without_pg_provider_are_unknown_without_a_hint() {
    for case in manifest().into_iter().filter(|c| c.pg.is_some()) {
        let original: Value = serde_json::from_slice(&read(&case.file)).unwrap();
        if original.get("pg_provider").is_some() {
            continue;
        }
        let response = PaymentResponse::from_json(&read(&case.file)).unwrap();
        let PaymentResponse::Unknown(unknown) = response else {
            panic!("{}: expected Unknown", case.file)
        };
        assert_eq!(unknown.pg_provider(), None);
    }
}

fn known<T>(file: &str, pick: impl FnOnce(PaymentResponse) -> Option<T>) -> T {
    pick(PaymentResponse::from_json(&read(file)).unwrap())
        .unwrap_or_else(|| panic!("{file}: wrong variant"))
}

#[test]
fn kcp_docs_sample_success_view() {
    let kcp = known("kcp_card_paid_docs.json", |r| match r {
        PaymentResponse::Kcp(k) => Some(k),
        _ => None,
    });
    let success: pg::KcpSuccess = kcp.into_success().unwrap();
    assert_eq!(success.paid_amount, Amount::from(1004));
    assert_eq!(success.imp_uid, "imp_347242536261");
    assert_eq!(success.pay_method, PayMethod::Card);
    assert_eq!(success.status, Status::Paid);
    assert_eq!(success.paid_at.unix_seconds(), Some(1648344363));
    assert_eq!(success.pg_provider, PgProvider::Kcp);
    assert_eq!(success.card_quota.map(|q| q.get()), Some(0));
    assert_eq!(success.bank_name, None);
    assert_eq!(success.apply_num.as_deref(), Some("42827474"));
    assert!(success.extra.is_empty());
}

#[test]
fn legacy_vbank_issuance_keeps_wall_clock_deadline_and_request_id() {
    let inicis = known("html5_inicis_vbank_ready_2016.json", |r| match r {
        PaymentResponse::Html5Inicis(i) => Some(i),
        _ => None,
    });
    assert_eq!(inicis.status, Some(Status::Ready));
    assert_eq!(inicis.pay_method, Some(PayMethod::Vbank));
    assert!(inicis.paid_at.unwrap().is_unset());
    let deadline = inicis.vbank_date.unwrap();
    assert_eq!(deadline.to_string(), "2017-01-19 23:59:59");
    assert_eq!(deadline.civil().unwrap().day, 19);
    assert_eq!(inicis.request_id.as_deref(), Some("req_1482215137970"));
    assert_eq!(inicis.currency, None);
    // Success is claimed (a virtual account was issued) though nothing is paid yet.
    assert!(inicis.outcome().is_success());
}

#[test]
fn custom_data_object_is_kept() {
    let inicis = known("html5_inicis_vbank_ready_2018.json", |r| match r {
        PaymentResponse::Html5Inicis(i) => Some(i),
        _ => None,
    });
    let custom = inicis.custom_data.unwrap();
    assert_eq!(
        custom.to_value().unwrap(),
        serde_json::json!({"...": "..."})
    );
}

#[test]
fn pay_method_may_differ_from_the_request() {
    let kakao = known("kakaopay_point_paid.json", |r| match r {
        PaymentResponse::Kakaopay(k) => Some(k),
        _ => None,
    });
    assert_eq!(kakao.pay_method, Some(PayMethod::Point));
    assert_eq!(kakao.card_name, None);
    assert_eq!(kakao.card_number.as_deref(), Some(""));
    let toss = known("tosspay_trans_paid.json", |r| match r {
        PaymentResponse::Tosspay(t) => Some(t),
        _ => None,
    });
    assert_eq!(toss.pay_method, Some(PayMethod::Trans));
    assert_eq!(toss.receipt_url.as_deref(), Some(""));
}

#[test]
fn billing_issuance_carries_customer_uid() {
    let kakao = known("kakaopay_billing_paid.json", |r| match r {
        PaymentResponse::Kakaopay(k) => Some(k),
        _ => None,
    });
    assert_eq!(kakao.customer_uid.as_deref(), Some("<customer_uid>"));
    assert_eq!(
        kakao.into_success().unwrap().paid_amount,
        Amount::from(12000)
    );
}

#[test]
fn failures_report_code_and_message() {
    let pre =
        PaymentResponse::from_json_with_pg("kakaopay", &read("kakaopay_prevalidation_f1002.json"))
            .unwrap();
    assert_eq!(pre.imp_uid(), None);
    assert_eq!(
        pre.outcome(),
        Outcome::Failure {
            code: Some("F1002".into()),
            message: Some("이미 결제가 이루어진 거래건입니다.".into())
        }
    );
    let cancel = PaymentResponse::from_json(&read("html5_inicis_user_cancel.json")).unwrap();
    assert_eq!(
        cancel.outcome(),
        Outcome::Failure {
            code: None,
            message: Some("사용자가 결제를 취소하셨습니다".into())
        }
    );
    let PaymentResponse::Html5Inicis(cancel) = cancel else {
        panic!()
    };
    let err = cancel.into_success().unwrap_err();
    assert_eq!(err.kind(), portone_pg::ErrorKind::NotSuccess);
    assert_eq!(err.pg(), Some("html5_inicis"));
}

#[test]
fn a_redirect_result_claims_success_but_is_incomplete() {
    let redirect =
        PaymentResponse::from_json_with_pg("html5_inicis", &read("rn_redirect_paid.json")).unwrap();
    let PaymentResponse::Html5Inicis(redirect) = redirect else {
        panic!()
    };
    assert_eq!(redirect.success.map(|f| f.get()), Some(true));
    let err = redirect.into_success().unwrap_err();
    assert_eq!(err.kind(), portone_pg::ErrorKind::Incomplete);
    assert_eq!(err.pg(), Some("html5_inicis"));
    assert_eq!(err.field(), Some("pg_provider"));
}

#[test]
fn flutter_strings_read_as_their_values() {
    let kcp = known("flutter_kcp_card_paid_strings.json", |r| match r {
        PaymentResponse::Kcp(k) => Some(k),
        _ => None,
    });
    // "null" is no value, for strings and typed properties alike.
    assert_eq!(kcp.bank_name, None);
    assert_eq!(kcp.custom_data, None);
    assert_eq!(kcp.outcome(), Outcome::Success);
    let text = serde_json::to_value(&kcp).unwrap();
    let paid = kcp.into_success().unwrap();
    assert_eq!(paid.paid_amount, Amount::from(1004));
    assert_eq!(paid.paid_at.unix_seconds(), Some(1648344363));
    assert_eq!(paid.card_quota.map(|q| q.get()), Some(0));
    assert_eq!(paid.success.map(|f| f.get()), Some(true));
    // Serializing keeps the string forms that were received.
    assert_eq!(text["paid_amount"], "1004");
    assert_eq!(text["success"], "true");
    assert!(text.get("bank_name").is_none());
}

#[test]
fn flutter_null_error_fields_do_not_make_a_failure() {
    let body =
        br#"{"imp_uid":"imp_1","merchant_uid":"o-1","error_code":"null","error_msg":"null"}"#;
    let toss = PaymentResponse::from_json_with_pg("tosspayments", body).unwrap();
    assert_eq!(toss.outcome(), Outcome::Success);
    let body = br#"{"imp_uid":"imp_1","merchant_uid":"o-1","pg_provider":"null","success":"true"}"#;
    let unknown = PaymentResponse::from_json(body).unwrap();
    assert!(matches!(unknown, PaymentResponse::Unknown(_)));
    assert_eq!(unknown.provider(), None);
    let with_hint = PaymentResponse::from_json_with_pg("kcp", body).unwrap();
    assert!(matches!(with_hint, PaymentResponse::Kcp(_)));
}

#[test]
fn mobile_sdk_alias_keys_fill_the_catalogue_fields() {
    let response = PaymentResponse::from_json_with_pg(
        "tosspayments",
        &read("mobile_sdk_alias_keys_cancel.json"),
    )
    .unwrap();
    let PaymentResponse::Tosspayments(toss) = response else {
        panic!()
    };
    assert_eq!(toss.imp_uid.as_deref(), Some("imp_100000000008"));
    assert_eq!(toss.merchant_uid, "order-tosspayments-8");
    assert_eq!(toss.error_code.as_deref(), Some("PAY_PROCESS_CANCELED"));
    assert!(toss.extra.is_empty());
}

#[test]
fn empty_string_and_null_stay_distinct() {
    let toss = known("tosspay_trans_paid.json", |r| match r {
        PaymentResponse::Tosspay(t) => Some(t),
        _ => None,
    });
    assert_eq!(toss.card_name.as_deref(), Some(""));
    assert_eq!(toss.bank_name.as_deref(), Some(""));
    let kcp = known("kcp_card_paid_docs.json", |r| match r {
        PaymentResponse::Kcp(k) => Some(k),
        _ => None,
    });
    assert_eq!(kcp.bank_name, None);
    // An empty error message is no error.
    let body = br#"{"imp_uid":"imp_1","merchant_uid":"o-1","error_code":"","error_msg":""}"#;
    let toss = PaymentResponse::from_json_with_pg("tosspayments", body).unwrap();
    assert_eq!(toss.outcome(), Outcome::Success);
}

#[test]
fn daou_flag_arrives_under_either_name() {
    let redirect =
        PaymentResponse::from_json_with_pg("daou", &read("daou_mobile_redirect_paid_docs.json"))
            .unwrap();
    let PaymentResponse::Daou(redirect) = redirect else {
        panic!()
    };
    assert_eq!(redirect.success.map(|f| f.get()), Some(true));
    assert_eq!(redirect.imp_uid.as_deref(), Some("imp1234567890"));
    let pc = known("daou_pc_callback_not_yet_paid.json", |r| match r {
        PaymentResponse::Daou(d) => Some(d),
        _ => None,
    });
    assert_eq!(pc.success.map(|f| f.get()), Some(false));
    assert_eq!(pc.status, Some(Status::Ready));
    // Serialized back under the name each arrived with? The alias is
    // normalised to `success`.
    let text = serde_json::to_value(&redirect).unwrap();
    assert_eq!(text["success"], "true");
}

#[test]
fn related_codes_and_alias_spellings_route_by_the_body() {
    let response = PaymentResponse::from_json_with_pg(
        "inicis.INIpayTest",
        &read("inicis_request_html5_inicis_body.json"),
    )
    .unwrap();
    assert_eq!(response.provider(), Some(PgProvider::Html5Inicis));
    assert_eq!(
        PgProvider::Inicis.related_codes(),
        ["html5_inicis", "inicis_unified"]
    );
    assert!(PgProvider::Html5Inicis.related_codes().contains(&"inicis"));
    // An unrelated request still contradicts the body.
    let err =
        PaymentResponse::from_json_with_pg("kcp", &read("inicis_request_html5_inicis_body.json"))
            .unwrap_err();
    assert_eq!(err.kind(), portone_pg::ErrorKind::ProviderMismatch);
    // The typo spelling of the V1 OpenAPI schema names nice_v2, in the pg parameter and in a body.
    assert_eq!("nice_V2".parse::<PgProvider>().unwrap(), PgProvider::NiceV2);
    let body = br#"{"imp_uid":"imp_1","merchant_uid":"o-1","pg_provider":"nice_V2"}"#;
    let response = PaymentResponse::from_json(body).unwrap();
    assert_eq!(response.provider(), Some(PgProvider::NiceV2));
}

#[test]
fn every_pg_code_has_a_fixture() {
    let mut covered: Vec<String> = manifest()
        .into_iter()
        .filter_map(|c| c.expect.split(' ').next().map(str::to_owned))
        .filter(|variant| variant != "unknown")
        .collect();
    covered.sort();
    covered.dedup();
    let mut codes: Vec<String> = PgProvider::KNOWN_CODES
        .iter()
        .map(|c| c.to_string())
        .collect();
    codes.sort();
    assert_eq!(covered, codes);
}
