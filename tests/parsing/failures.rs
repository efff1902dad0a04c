//! A failure body is a failure of its PG, never a parse error: for every PG
//! with a schema, the pre-validation failure and the bare failure callback
//! parse as that PG's type with outcome `Failure`, and `into_success` says
//! what is missing.

use crate::support;

use portone_pg::{ErrorKind, Outcome, PaymentResponse};

fn codes() -> Vec<String> {
    let codes = support::pg_codes();
    assert_eq!(codes.len(), 43);
    codes
}

#[test]
fn a_pre_validation_failure_is_a_failure_of_the_requested_pg() {
    // i'mport refused the request before a window opened (F1002: the order
    // is already paid): no imp_uid, no pg_provider.
    let body = r#"{"success":false,"imp_uid":null,"merchant_uid":"order-1","error_code":"F1002","error_msg":"이미 결제가 완료된 주문번호입니다"}"#;
    for code in codes() {
        let response = PaymentResponse::from_json_with_pg(&code, body.as_bytes())
            .unwrap_or_else(|e| panic!("{code}: {e}"));
        assert_eq!(
            support::variant(&response).as_deref(),
            Some(code.as_str()),
            "{code}"
        );
        assert_eq!(response.imp_uid(), None, "{code}");
        assert_eq!(
            response.outcome(),
            Outcome::Failure {
                code: Some("F1002".into()),
                message: Some("이미 결제가 완료된 주문번호입니다".into())
            },
            "{code}"
        );
    }
}

#[test]
fn a_bare_failure_callback_is_a_failure_of_its_pg() {
    // No error_code and no status: ids, pay_method, the PG, pg_type and a message.
    for code in codes() {
        let body = format!(
            r#"{{"success":false,"imp_uid":"imp_268424450329","merchant_uid":"order-1","pay_method":"card","pg_provider":"{code}","pg_type":"payment","error_msg":"사용자가 결제를 취소하셨습니다"}}"#
        );
        for parsed in [
            PaymentResponse::from_json(body.as_bytes()),
            PaymentResponse::from_json_with_pg(&code, body.as_bytes()),
        ] {
            let response = parsed.unwrap_or_else(|e| panic!("{code}: {e}"));
            assert_eq!(
                support::variant(&response).as_deref(),
                Some(code.as_str()),
                "{code}"
            );
            assert_eq!(
                response.outcome(),
                Outcome::Failure {
                    code: None,
                    message: Some("사용자가 결제를 취소하셨습니다".into())
                },
                "{code}"
            );
        }
    }
}

#[test]
fn into_success_says_what_is_missing_and_that_a_redirect_carries_only_ids() {
    // A redirect claiming success carries the ids and the flag only.
    let redirect = PaymentResponse::from_query_with_pg(
        "kcp",
        "imp_uid=imp_1&merchant_uid=order-1&imp_success=true",
    )
    .unwrap();
    let PaymentResponse::Kcp(kcp) = redirect else {
        panic!("not kcp")
    };
    let err = kcp.into_success().unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Incomplete);
    assert_eq!(err.pg(), Some("kcp"));
    assert_eq!(err.field(), Some("pg_provider"));
    let text = err.to_string();
    assert!(text.contains("lacks this property"), "{text}");
    assert!(text.contains("redirect"), "{text}");
    assert!(text.contains("GET /payments/{imp_uid}"), "{text}");
}

#[test]
fn an_empty_imp_uid_names_no_payment() {
    // A thin PG's success is an imp_uid without errors: "" is none.
    let thin = PaymentResponse::from_json_with_pg(
        "tosspayments",
        br#"{"imp_uid":"","merchant_uid":"order-1"}"#,
    )
    .unwrap();
    assert_eq!(thin.imp_uid(), None);
    assert_eq!(thin.outcome(), Outcome::Unknown);
    let PaymentResponse::Tosspayments(toss) = thin else {
        panic!("not tosspayments")
    };
    assert_eq!(
        toss.into_success().unwrap_err().kind(),
        ErrorKind::NotSuccess
    );
    // A full PG's accessor, an unknown PG's and a redirect's say the same.
    for response in [
        PaymentResponse::from_json(
            br#"{"pg_provider":"kcp","imp_uid":"","merchant_uid":"o","success":false}"#,
        ),
        PaymentResponse::from_json(br#"{"pg_provider":"newpg","imp_uid":"","merchant_uid":"o"}"#),
        PaymentResponse::from_query_with_pg("nice_v2", "imp_uid=&merchant_uid=o"),
    ] {
        let response = response.unwrap();
        assert_eq!(response.imp_uid(), None, "{response:?}");
        assert!(!response.outcome().is_success(), "{response:?}");
    }
    let redirect = portone_pg::RedirectResult::from_query("imp_uid=&merchant_uid=o").unwrap();
    assert_eq!(redirect.imp_uid(), None);
    assert_eq!(redirect.outcome(), Outcome::Unknown);
    // A webhook names the payment that changed: without one it is an error.
    for body in [
        &br#"{"imp_uid":"","merchant_uid":"o","status":"paid"}"#[..],
        &b"imp_uid=&merchant_uid=o&status=paid"[..],
    ] {
        let content_type = if body[0] == b'{' {
            "application/json"
        } else {
            "application/x-www-form-urlencoded"
        };
        let err = portone_pg::Webhook::from_body(content_type, body).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidValue);
        assert_eq!(err.field(), Some("imp_uid"));
    }
}
