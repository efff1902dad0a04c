//! The dispatcher: finding the tag, agreeing with the typed parse, hints,
//! unknown PGs, and the errors of bad input.

use portone_pg::{Amount, ErrorKind, Outcome, PaymentResponse, PgProvider, pg};

fn parse(json: &str) -> Result<PaymentResponse, portone_pg::Error> {
    PaymentResponse::from_json(json.as_bytes())
}

fn variant(response: &PaymentResponse) -> Option<String> {
    match response {
        PaymentResponse::Unknown(_) => None,
        known => known.provider().map(|p| p.to_string()),
    }
}

#[test]
fn the_tag_is_found_where_the_typed_parse_finds_it() {
    let cases = [
        (r#"{"pg_provider":"kcp","merchant_uid":"o"}"#, Some("kcp")),
        (r#"{"merchant_uid":"o","pg_provider":"nice"}"#, Some("nice")),
        (
            r#"{ "pg_\u0070rovider" : "kakaopay", "merchant_uid":"o" }"#,
            Some("kakaopay"),
        ),
        (
            r#"{"pg_provider":"\u006bcp","merchant_uid":"o"}"#,
            Some("kcp"),
        ),
        (
            r#"{"custom_data":{"pg_provider":"kcp"},"merchant_uid":"o"}"#,
            None,
        ),
        (
            r#"{"name":"\"pg_provider\":\"kcp\"","merchant_uid":"o"}"#,
            None,
        ),
        (
            r#"{"custom_data":[{"pg_provider":"kcp"}],"pg_provider":"tosspay","merchant_uid":"o"}"#,
            Some("tosspay"),
        ),
        (
            "{\n\t\"merchant_uid\" : \"o\" ,\r\n \"pg_provider\"\n:\n\"danal_tpay\"\n}\n",
            Some("danal_tpay"),
        ),
        (r#"{"pg_provider":null,"merchant_uid":"o"}"#, None),
    ];
    for (json, expected) in cases {
        let response = parse(json).unwrap_or_else(|e| panic!("{json}: {e}"));
        assert_eq!(variant(&response).as_deref(), expected, "{json}");
    }
}

#[test]
fn a_second_tag_is_an_error_never_a_second_opinion() {
    for json in [
        r#"{"pg_provider":"kcp","merchant_uid":"o","pg_provider":"nice"}"#,
        r#"{"pg_provider":"kcp","merchant_uid":"o","pg_provider":"kcp"}"#,
        r#"{"pg_provider":"tosspayments","merchant_uid":"o","pg_provider":"tosspayments"}"#,
        r#"{"pg_provider":null,"merchant_uid":"o","pg_provider":"kcp"}"#,
        r#"{"pg_provider":"newpg","pg_provider":"kcp"}"#,
    ] {
        let err = parse(json).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::DuplicateField, "{json}: {err}");
        assert_eq!(err.field(), Some("pg_provider"), "{json}");
    }
}

#[test]
fn a_body_for_the_wrong_type_is_refused() {
    let err = serde_json::from_str::<pg::Kcp>(r#"{"pg_provider":"nice","merchant_uid":"o"}"#)
        .unwrap_err();
    assert!(
        err.to_string().contains("`nice` names another PG than kcp"),
        "{err}"
    );
    // A thin PG does not list pg_provider, but a contradicting one is still refused.
    let err = PaymentResponse::from_json(br#"{"pg_provider":"tosspayments","merchant_uid":"o"}"#)
        .map(|r| r.provider());
    assert_eq!(err.unwrap(), Some(PgProvider::Tosspayments));
    let err =
        serde_json::from_str::<pg::Tosspayments>(r#"{"pg_provider":"kcp","merchant_uid":"o"}"#)
            .unwrap_err();
    assert!(err.to_string().contains("names another PG"), "{err}");
}

#[test]
fn the_hint_routes_thin_pgs_and_must_agree_with_the_body() {
    let body = br#"{"imp_uid":"imp_1234","merchant_uid":"order-7"}"#;
    for (pg, expected) in [
        ("tosspayments", "tosspayments"),
        ("ksnet", "ksnet"),
        ("nice_v2.nictest04m", "nice_v2"),
        ("smartro_v2", "smartro_v2"),
        ("paypal_v2.ABCDEF", "paypal_v2"),
        ("welcome", "welcome"),
    ] {
        let response = PaymentResponse::from_json_with_pg(pg, body).unwrap();
        assert_eq!(variant(&response).as_deref(), Some(expected));
        assert_eq!(response.outcome(), Outcome::Success);
        assert_eq!(response.imp_uid(), Some("imp_1234"));
    }
    let err =
        PaymentResponse::from_json_with_pg("kcp", br#"{"pg_provider":"nice","merchant_uid":"o"}"#)
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
    assert_eq!(err.pg(), Some("kcp"));
    let err =
        PaymentResponse::from_json_with_pg("newpg", br#"{"pg_provider":"otherpg"}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
    let same = PaymentResponse::from_json_with_pg(
        "kcp.T0000",
        br#"{"pg_provider":"kcp","merchant_uid":"o"}"#,
    )
    .unwrap();
    assert_eq!(same.provider(), Some(PgProvider::Kcp));
    for bad in ["", ".T0000", "kcp pay", "\u{0}"] {
        let err = PaymentResponse::from_json_with_pg(bad, b"{}").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidPg, "{bad:?}");
    }
}

#[test]
fn unknown_pgs_and_unnamed_bodies_keep_everything() {
    let json = r#"{"pg_provider":"inicis_jp","imp_uid":"imp_9","merchant_uid":"o","amount":{"v":[1,2]},"success":"true"}"#;
    let response = parse(json).unwrap();
    let PaymentResponse::Unknown(unknown) = &response else {
        panic!("{response:?}")
    };
    assert_eq!(unknown.pg_provider(), Some("inicis_jp"));
    assert_eq!(
        response.provider(),
        Some(PgProvider::Other("inicis_jp".into()))
    );
    assert_eq!(response.outcome(), Outcome::Success);
    assert_eq!(
        serde_json::to_value(&response).unwrap(),
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    );

    let unnamed = parse(r#"{"imp_uid":"imp_9","merchant_uid":"o"}"#).unwrap();
    assert!(matches!(unnamed, PaymentResponse::Unknown(_)));
    assert_eq!(unnamed.provider(), None);

    let hinted = PaymentResponse::from_json_with_pg(
        "inicis_jp.M1",
        br#"{"imp_uid":"imp_9","merchant_uid":"o"}"#,
    )
    .unwrap();
    assert_eq!(
        hinted.provider(),
        Some(PgProvider::Other("inicis_jp".into()))
    );
}

#[test]
fn unknown_keys_and_codes_are_kept() {
    let json = r#"{"pg_provider":"kcp","merchant_uid":"o","pay_method":"brand_new_pay","status":"on_hold","currency":"THB","new_key":{"a":null},"emb_pg_provider":"kakopay"}"#;
    let PaymentResponse::Kcp(kcp) = parse(json).unwrap() else {
        panic!()
    };
    assert_eq!(
        kcp.pay_method.as_ref().map(|m| m.as_str()),
        Some("brand_new_pay")
    );
    assert!(!kcp.pay_method.as_ref().unwrap().is_known());
    assert_eq!(kcp.status.as_ref().map(|s| s.as_str()), Some("on_hold"));
    assert_eq!(kcp.currency.as_ref().map(|c| c.as_str()), Some("THB"));
    assert_eq!(
        kcp.emb_pg_provider.as_ref().map(|c| c.as_str()),
        Some("kakopay")
    );
    assert_eq!(
        kcp.extra["new_key"].to_value().unwrap(),
        serde_json::json!({"a": null})
    );
    assert_eq!(
        serde_json::to_value(&kcp).unwrap(),
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    );
}

#[test]
fn properties_a_thin_pg_does_not_send_stay_in_extra() {
    let body = br#"{"imp_uid":"imp_1","merchant_uid":"o","success":true,"paid_amount":1004,"pg_provider":"ksnet"}"#;
    let PaymentResponse::Ksnet(ksnet) = PaymentResponse::from_json(body).unwrap() else {
        panic!()
    };
    // The flag is the thin shape's optional `success`; the rest is kept.
    assert_eq!(ksnet.success.map(portone_pg::Flag::get), Some(true));
    assert_eq!(ksnet.extra.len(), 2);
    assert_eq!(
        ksnet.extra["paid_amount"].to_value().unwrap(),
        serde_json::json!(1004)
    );
    let success: pg::KsnetSuccess = ksnet.into_success().unwrap();
    assert_eq!(success.imp_uid, "imp_1");
}

#[test]
fn thin_outcomes() {
    let outcome = |json: &str| {
        PaymentResponse::from_json_with_pg("tosspayments", json.as_bytes())
            .unwrap()
            .outcome()
    };
    assert_eq!(
        outcome(r#"{"imp_uid":"imp_1","merchant_uid":"o"}"#),
        Outcome::Success
    );
    assert_eq!(
        outcome(
            r#"{"imp_uid":"imp_1","merchant_uid":"o","error_code":"PAY_PROCESS_CANCELED","error_msg":"취소"}"#
        ),
        Outcome::Failure {
            code: Some("PAY_PROCESS_CANCELED".into()),
            message: Some("취소".into())
        }
    );
    assert_eq!(
        outcome(r#"{"imp_uid":null,"merchant_uid":"o"}"#),
        Outcome::Unknown
    );
    assert_eq!(
        outcome(
            r#"{"success":false,"imp_uid":null,"merchant_uid":"o","error_code":"F1002","error_msg":"x"}"#
        ),
        Outcome::Failure {
            code: Some("F1002".into()),
            message: Some("x".into())
        }
    );
}

#[test]
fn string_forms_from_redirects_and_mobile_sdks() {
    let json = r#"{"pg_provider":"kcp","merchant_uid":"87","imp_uid":"imp_1","success":"true","paid_amount":"1004","paid_at":"1648344363","card_quota":"3","pay_method":"card","name":"n","pg_tid":"t","status":"paid"}"#;
    let PaymentResponse::Kcp(kcp) = parse(json).unwrap() else {
        panic!()
    };
    assert_eq!(kcp.merchant_uid, "87");
    let success = kcp.clone().into_success().unwrap();
    assert_eq!(success.paid_amount, Amount::from(1004));
    assert_eq!(success.paid_at.unix_seconds(), Some(1648344363));
    assert_eq!(success.card_quota.unwrap().get(), 3);
    assert_eq!(
        serde_json::to_value(&kcp).unwrap(),
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    );
}

#[test]
fn aliases_are_accepted_once() {
    let json = r#"{"pg_provider":"kcp","paymentId":"o","txId":"imp_1","imp_success":false,"code":"E1","message":"refused"}"#;
    let response = parse(json).unwrap();
    assert_eq!(response.merchant_uid(), Some("o"));
    assert_eq!(response.imp_uid(), Some("imp_1"));
    assert_eq!(
        response.outcome(),
        Outcome::Failure {
            code: Some("E1".into()),
            message: Some("refused".into())
        }
    );
    // Two spellings that agree (mobile SDK wrappers re-serialise a result
    // with both) are one value, in either order and either form.
    for json in [
        r#"{"pg_provider":"kcp","merchant_uid":"o","success":true,"imp_success":true}"#,
        r#"{"pg_provider":"kcp","merchant_uid":"o","imp_success":"true","success":true}"#,
        r#"{"imp_success":true,"pg_provider":"kcp","merchant_uid":"o","success":"true"}"#,
    ] {
        let response = parse(json).unwrap();
        assert_eq!(response.outcome(), Outcome::Success, "{json}");
        assert!(response.extra().is_empty(), "{json}");
    }
    // Two spellings that disagree name both.
    let err =
        parse(r#"{"pg_provider":"kcp","merchant_uid":"o","success":true,"imp_success":false}"#)
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidValue);
    assert_eq!(err.field(), Some("success"));
    assert!(
        err.to_string().contains(
            "received as two of `success` / `imp_success` / `imp_status` with different values"
        ),
        "{err}"
    );
    // The same spelling twice is still a duplicate.
    let err =
        parse(r#"{"pg_provider":"kcp","merchant_uid":"o","imp_success":true,"imp_success":true}"#)
            .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DuplicateField);
    assert!(
        err.to_string().contains("received again as `imp_success`"),
        "{err}"
    );
}

#[test]
fn bad_input_gets_a_typed_error_naming_pg_field_and_position() {
    struct Row {
        json: &'static str,
        kind: ErrorKind,
        pg: Option<&'static str>,
        field: Option<&'static str>,
        line: Option<usize>,
    }
    let rows = [
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":"o","paid_amount":"ten"}"#,
            kind: ErrorKind::InvalidValue,
            pg: Some("kcp"),
            field: Some("paid_amount"),
            line: Some(1),
        },
        Row {
            json: "{\"pg_provider\":\"kcp\",\n\"merchant_uid\":\"o\",\n\"success\":\"yes\"}",
            kind: ErrorKind::InvalidValue,
            pg: Some("kcp"),
            field: Some("success"),
            line: Some(3),
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":7}"#,
            kind: ErrorKind::InvalidValue,
            pg: Some("kcp"),
            field: Some("merchant_uid"),
            line: Some(1),
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":"o","paid_at":-5}"#,
            kind: ErrorKind::InvalidValue,
            pg: Some("kcp"),
            field: Some("paid_at"),
            line: Some(1),
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":"o","paid_amount":1e400}"#,
            kind: ErrorKind::InvalidValue,
            pg: Some("kcp"),
            field: Some("paid_amount"),
            line: Some(1),
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":"o","vbank_date":"2017-02-30 00:00:00"}"#,
            kind: ErrorKind::InvalidValue,
            pg: Some("kcp"),
            field: Some("vbank_date"),
            line: Some(1),
        },
        Row {
            json: r#"{"pg_provider":"kcp"}"#,
            kind: ErrorKind::MissingField,
            pg: Some("kcp"),
            field: Some("merchant_uid"),
            line: None,
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":null}"#,
            kind: ErrorKind::MissingField,
            pg: Some("kcp"),
            field: Some("merchant_uid"),
            line: None,
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":"o""#,
            kind: ErrorKind::Syntax,
            pg: None,
            field: None,
            line: Some(1),
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":"o"} x"#,
            kind: ErrorKind::Syntax,
            pg: Some("kcp"),
            field: None,
            line: Some(1),
        },
        Row {
            json: r#"{"pg_provider":12}"#,
            kind: ErrorKind::InvalidValue,
            pg: None,
            field: Some("pg_provider"),
            line: Some(1),
        },
        Row {
            json: "",
            kind: ErrorKind::Syntax,
            pg: None,
            field: None,
            line: Some(1),
        },
        Row {
            json: "[]",
            kind: ErrorKind::NotAnObject,
            pg: None,
            field: None,
            line: Some(1),
        },
        Row {
            json: "null",
            kind: ErrorKind::NotAnObject,
            pg: None,
            field: None,
            line: Some(1),
        },
        Row {
            json: r#""kcp""#,
            kind: ErrorKind::NotAnObject,
            pg: None,
            field: None,
            line: Some(1),
        },
        Row {
            json: r#"{"pg_provider":"kcp","merchant_uid":"o","extra_key":1,"extra_key":2}"#,
            kind: ErrorKind::DuplicateField,
            pg: Some("kcp"),
            field: Some("extra_key"),
            line: Some(1),
        },
    ];
    for row in rows {
        let err = parse(row.json).unwrap_err();
        assert_eq!(err.kind(), row.kind, "{}: {err}", row.json);
        // A syntax error inside a typed parse knows the PG; one the scanner hit first does not.
        if row.pg.is_some() {
            assert_eq!(err.pg(), row.pg, "{}: {err}", row.json);
        }
        assert_eq!(err.field(), row.field, "{}: {err}", row.json);
        assert_eq!(
            err.position().map(|p| p.line),
            row.line,
            "{}: {err}",
            row.json
        );
    }
}

#[test]
fn debug_output_redacts_personal_data() {
    let json = r#"{"pg_provider":"kcp","merchant_uid":"o","buyer_name":"김철수","buyer_tel":"010-9876-5432","card_number":"5428790000000294","vbank_num":"58390665836437","customer_uid":"cu_secret"}"#;
    let response = parse(json).unwrap();
    let debug = format!("{response:?}");
    for secret in ["김철수", "010-9876-5432", "5428790000000294", "cu_secret"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    assert!(debug.contains("buyer_name: <redacted>"), "{debug}");
    assert!(debug.contains("buyer_email: None"), "{debug}");
    // Serialization still writes the real values.
    assert!(serde_json::to_string(&response).unwrap().contains("김철수"));
}

#[test]
fn pg_provider_codes() {
    assert_eq!(
        "html5_inicis.INIpayTest".parse::<PgProvider>().unwrap(),
        PgProvider::Html5Inicis
    );
    assert_eq!(PgProvider::NiceV2.as_str(), "nice_v2");
    assert_eq!(PgProvider::Kcp.name(), Some("NHN KCP"));
    assert_eq!(PgProvider::from_code("inicis_jp").name(), None);
    assert_eq!(PgProvider::KNOWN_CODES.len(), 43);
    let json = serde_json::to_string(&PgProvider::DanalTpay).unwrap();
    assert_eq!(json, r#""danal_tpay""#);
    assert_eq!(
        serde_json::from_str::<PgProvider>(r#""welcome""#).unwrap(),
        PgProvider::Welcome
    );
}

#[test]
fn a_seed_carries_the_request_pg_into_any_serde_entry_point() {
    use serde::de::DeserializeSeed;
    let body = r#"{"imp_uid":"imp_1","merchant_uid":"o-1"}"#;
    // Plain Deserialize has no hint: a thin PG's body stays untyped.
    let plain: PaymentResponse = serde_json::from_str(body).unwrap();
    assert!(matches!(plain, PaymentResponse::Unknown(_)));
    let mut de = serde_json::Deserializer::from_str(body);
    let seeded = PaymentResponse::seed("tosspay_v2.store-1")
        .deserialize(&mut de)
        .unwrap();
    assert!(matches!(seeded, PaymentResponse::TosspayV2(_)));
    let direct = PaymentResponse::from_json_with_pg("tosspay_v2", body.as_bytes()).unwrap();
    assert_eq!(seeded, direct);
    // A body contradicting the hint, and a hint that is no PG code.
    let kcp = r#"{"pg_provider":"kcp","merchant_uid":"o"}"#;
    let mut de = serde_json::Deserializer::from_str(kcp);
    let error = PaymentResponse::seed("html5_inicis")
        .deserialize(&mut de)
        .unwrap_err();
    assert!(error.to_string().contains("html5_inicis"), "{error}");
    let mut de = serde_json::Deserializer::from_str(body);
    assert!(PaymentResponse::seed("").deserialize(&mut de).is_err());
}
