//! `IMP.certification` results: callbacks and redirects, through the public API.

use crate::support;

use portone_pg::{
    CertificationResponse, ErrorKind, Outcome, PaymentResponse, PgProvider, certification,
};

fn read(file: &str) -> String {
    support::read_text("certification", file)
}

#[test]
fn real_danal_callback() {
    let body = read("danal_callback.json");
    let response = CertificationResponse::from_json(body.as_bytes()).unwrap();
    assert_eq!(response.provider(), Some(PgProvider::Danal));
    assert_eq!(response.imp_uid(), Some("imp_269181001787"));
    assert_eq!(response.merchant_uid(), Some("mid_1624366179233"));
    assert_eq!(response.outcome(), Outcome::Success);
    let CertificationResponse::Danal(danal) = response else {
        panic!()
    };
    assert_eq!(danal.error_code, None);
    assert_eq!(danal.pg_type.as_deref(), Some("certification"));
    let verified: certification::DanalSuccess = danal.clone().into_success().unwrap();
    assert_eq!(verified.imp_uid, "imp_269181001787");
    // Serializing gives the callback back (null ≡ absent).
    let back = serde_json::to_value(&danal).unwrap();
    let mut original: serde_json::Value = serde_json::from_str(&body).unwrap();
    original
        .as_object_mut()
        .unwrap()
        .retain(|_, v| !v.is_null());
    assert_eq!(back, original);
}

#[test]
fn redirects_carry_success_as_a_string() {
    let query = read("danal_redirect_success.query");
    let response =
        CertificationResponse::from_query_with_pg("danal.A010002002", query.trim()).unwrap();
    let CertificationResponse::Danal(danal) = &response else {
        panic!("{response:?}")
    };
    assert_eq!(danal.success.map(|f| f.get()), Some(true));
    assert_eq!(response.outcome(), Outcome::Success);
    // Without the pg the redirect names no PG, and is kept whole.
    let unknown = CertificationResponse::from_query(query.trim()).unwrap();
    assert!(matches!(unknown, CertificationResponse::Unknown(_)));
    assert_eq!(unknown.outcome(), Outcome::Success);

    let query = read("inicis_unified_redirect_cancel.query");
    let response =
        CertificationResponse::from_query_with_pg("inicis_unified", query.trim()).unwrap();
    assert!(matches!(response, CertificationResponse::InicisUnified(_)));
    assert_eq!(
        response.outcome(),
        Outcome::Failure {
            code: Some("F0000".into()),
            message: Some("본인인증이 취소되었습니다".into())
        }
    );
}

#[test]
fn every_certification_pg_parses_its_fixture() {
    for (file, provider, outcome) in [
        ("danal_callback.json", PgProvider::Danal, true),
        (
            "inicis_unified_callback.json",
            PgProvider::InicisUnified,
            true,
        ),
        (
            "inicis_card_callback_cancel.json",
            PgProvider::Inicis,
            false,
        ),
    ] {
        let response = CertificationResponse::from_json(read(file).as_bytes()).unwrap();
        assert_eq!(response.provider(), Some(provider), "{file}");
        assert_eq!(response.outcome().is_success(), outcome, "{file}");
    }
    assert!(portone_pg::CERTIFICATION_SUPPORT_TABLE.contains("| `inicis_unified` |"));
}

#[test]
fn a_certification_is_not_a_payment_type() {
    // The certification types have no payment properties: this would not compile:
    // let _ = certification::Danal::paid_amount;
    let body = read("danal_callback.json");
    let response = CertificationResponse::from_json(body.as_bytes()).unwrap();
    assert!(response.extra().is_empty());
    // A payment PG's body handed to the certification dispatcher keeps the
    // payment properties in `extra` rather than dropping them.
    let body = br#"{"success":true,"imp_uid":"imp_1","merchant_uid":"o-1","pg_provider":"danal","paid_amount":1000}"#;
    let response = CertificationResponse::from_json(body).unwrap();
    assert_eq!(response.extra()["paid_amount"].json(), "1000");
    // And the payment dispatcher still reads danal payments.
    assert!(matches!(
        PaymentResponse::from_json(body).unwrap(),
        PaymentResponse::Danal(_)
    ));
}

#[test]
fn bad_redirects_are_typed_errors() {
    for (query, kind, field) in [
        (
            "imp_uid=imp_1&merchant_uid=m%2&success=true",
            ErrorKind::Syntax,
            Some("merchant_uid"),
        ),
        (
            "imp_uid=imp_1&merchant_uid=%FF&success=true",
            ErrorKind::Syntax,
            Some("merchant_uid"),
        ),
        (
            "imp_uid=a&imp_uid=b&merchant_uid=m",
            ErrorKind::DuplicateField,
            Some("imp_uid"),
        ),
        (
            "imp_uid=imp_1&merchant_uid=m&success=yes",
            ErrorKind::InvalidValue,
            Some("success"),
        ),
        (
            "imp_uid=imp_1&success=true",
            ErrorKind::MissingField,
            Some("merchant_uid"),
        ),
    ] {
        let err = CertificationResponse::from_query_with_pg("danal", query).unwrap_err();
        assert_eq!(err.kind(), kind, "{query}: {err}");
        assert_eq!(err.field(), field, "{query}");
    }
    let err = CertificationResponse::from_query_with_pg("kcp", "pg_provider=danal&merchant_uid=m")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
}
