//! The integrator's dispatcher: its own PG first, portone-pg's for the rest.

use own_schemas::{PaymentResponse, SUPPORT_TABLE, pg};
use portone_pg::{ErrorKind, Outcome, PgProvider};

#[test]
fn own_pg_is_typed_here() {
    let body =
        br#"{"imp_uid":"imp_100000000040","merchant_uid":"order-jp-40","pg_provider":"inicis_jp"}"#;
    let response = PaymentResponse::from_json(body).unwrap();
    assert_eq!(
        response.provider(),
        Some(PgProvider::from_code("inicis_jp"))
    );
    assert_eq!(response.imp_uid(), Some("imp_100000000040"));
    assert_eq!(response.outcome(), Outcome::Success);
    let PaymentResponse::InicisJp(jp) = response else {
        panic!()
    };
    // The thin shape: ids and error fields only, the tag kept in `extra`.
    assert_eq!(jp.merchant_uid, "order-jp-40");
    assert_eq!(jp.extra["pg_provider"], "inicis_jp");
    assert_eq!(pg::InicisJp::CODE, "inicis_jp");

    let cancel = br#"{"imp_uid":"imp_1","merchant_uid":"order-jp-41","error_msg":"cancelled"}"#;
    let response = PaymentResponse::from_json_with_pg("inicis_jp.MID", cancel).unwrap();
    assert!(matches!(response.outcome(), Outcome::Failure { .. }));
    let redirect =
        PaymentResponse::from_query_with_pg("inicis_jp", "imp_uid=imp_1&merchant_uid=order-jp-42")
            .unwrap();
    assert!(matches!(redirect, PaymentResponse::InicisJp(_)));
}

#[test]
fn every_other_pg_is_portone_pgs() {
    let body = br#"{"success":true,"imp_uid":"imp_347242536261","merchant_uid":"57008833-33004","pay_method":"card",
        "name":"x","paid_amount":1004,"pg_provider":"kcp","pg_tid":"1","status":"paid","paid_at":1648344363}"#;
    let response = PaymentResponse::from_json(body).unwrap();
    let PaymentResponse::Builtin(portone_pg::PaymentResponse::Kcp(kcp)) = &response else {
        panic!("{response:?}")
    };
    assert_eq!(
        kcp.clone().into_success().unwrap().paid_amount,
        portone_pg::Amount::from(1004)
    );
    // Serializing gives the body back through either path.
    let again: serde_json::Value = serde_json::to_value(&response).unwrap();
    assert_eq!(again["paid_amount"], 1004);

    let thin = br#"{"imp_uid":"imp_1","merchant_uid":"o-1"}"#;
    let toss = PaymentResponse::from_json_with_pg("tosspayments", thin).unwrap();
    assert!(matches!(
        toss,
        PaymentResponse::Builtin(portone_pg::PaymentResponse::Tosspayments(_))
    ));
    let unknown =
        PaymentResponse::from_json(br#"{"pg_provider":"newpg","merchant_uid":"o-2"}"#).unwrap();
    assert!(matches!(
        unknown,
        PaymentResponse::Builtin(portone_pg::PaymentResponse::Unknown(_))
    ));
}

#[test]
fn mismatches_and_bad_input_are_errors() {
    let body = br#"{"imp_uid":"imp_1","merchant_uid":"o-1","pg_provider":"kcp"}"#;
    let err = PaymentResponse::from_json_with_pg("inicis_jp", body).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ProviderMismatch);
    let err =
        PaymentResponse::from_json_with_pg("inicis_jp", br#"{"imp_uid":"imp_1"}"#).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingField);
    assert_eq!(err.pg(), Some("inicis_jp"));
    assert_eq!(err.field(), Some("merchant_uid"));
    let err = PaymentResponse::from_json(b"{").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Syntax);
}

#[test]
fn support_table_lists_the_own_file() {
    assert_eq!(SUPPORT_TABLE.lines().count(), 3);
    assert!(
        SUPPORT_TABLE.contains("| `inicis_jp` | KG Inicis Japan | thin | no_error | inferred |")
    );
}

#[test]
fn the_dispatcher_has_everything_portone_pgs_has() {
    // One generator makes both dispatchers: serde's Deserialize included.
    let own: PaymentResponse = serde_json::from_str(
        r#"{"imp_uid":"imp_1","merchant_uid":"order-jp-43","pg_provider":"inicis_jp"}"#,
    )
    .unwrap();
    assert!(matches!(own, PaymentResponse::InicisJp(_)));
    let builtin: PaymentResponse = serde_json::from_str(
        r#"{"merchant_uid":"o","pg_provider":"kcp","success":false,"error_msg":"x"}"#,
    )
    .unwrap();
    assert!(matches!(
        builtin,
        PaymentResponse::Builtin(portone_pg::PaymentResponse::Kcp(_))
    ));
    // Round trip through serde.
    let again: PaymentResponse =
        serde_json::from_str(&serde_json::to_string(&own).unwrap()).unwrap();
    assert_eq!(again, own);
    assert!(own.extra().contains_key("pg_provider"));
}
