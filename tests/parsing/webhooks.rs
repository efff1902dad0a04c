//! Webhook bodies, JSON and form, through the public API.

use crate::support;

use portone_pg::{ErrorKind, Status, Webhook};

fn read(file: &str) -> Vec<u8> {
    support::read("webhooks", file)
}

fn trim(bytes: Vec<u8>) -> Vec<u8> {
    String::from_utf8(bytes).unwrap().trim().as_bytes().to_vec()
}

#[test]
fn json_and_form_bodies_agree() {
    let json = Webhook::from_body("application/json", &read("docs_paid.json")).unwrap();
    let form = Webhook::from_body(
        "application/x-www-form-urlencoded; charset=UTF-8",
        &trim(read("docs_paid.form")),
    )
    .unwrap();
    assert_eq!(json, form);
    assert_eq!(json.imp_uid(), "imp_1234567890");
    assert_eq!(json.merchant_uid(), "order_id_8237352");
    assert_eq!(json.status().to_string(), "paid");
}

#[test]
fn cancellation_id_and_events_are_kept() {
    let cancelled = Webhook::from_form(&trim(read("cancelled_with_cancellation_id.form"))).unwrap();
    assert_eq!(cancelled.status(), Status::Cancelled);
    assert_eq!(
        cancelled.cancellation_id.as_deref(),
        Some("cancel_100000000070")
    );

    let escrow = Webhook::from_json(&read("inicis_escrow_changed.json")).unwrap();
    assert_eq!(escrow.event.as_deref(), Some("Inicis.Escrow.Changed"));
    assert_eq!(
        escrow.extra.as_ref().unwrap().to_value().unwrap()["escrow_status"],
        "4"
    );
    assert_eq!(escrow.status(), Status::Paid);

    let cvs = Webhook::from_json(&read("galaxia_cvs_confirm.json")).unwrap();
    assert_eq!(cvs.status(), Status::Ready);
    assert_eq!(
        cvs.extra.as_ref().unwrap().to_value().unwrap()["payType"],
        "card"
    );

    let toss = Webhook::from_json(&read("tosspay_v2_paid.json")).unwrap();
    assert_eq!(toss.status(), Status::Paid);
    assert!(toss.unknown.is_empty());

    // Serializing gives each body back.
    for file in [
        "inicis_escrow_changed.json",
        "galaxia_cvs_confirm.json",
        "tosspay_v2_paid.json",
        "docs_paid.json",
    ] {
        let original: serde_json::Value = serde_json::from_slice(&read(file)).unwrap();
        let parsed = Webhook::from_json(&read(file)).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), original, "{file}");
    }
}

#[test]
fn every_status_and_unknown_keys() {
    for status in ["ready", "paid", "failed", "cancelled", "partial_cancelled"] {
        let body =
            format!(r#"{{"imp_uid":"i","merchant_uid":"m","status":"{status}","new_key":[1]}}"#);
        let hook = Webhook::from_json(body.as_bytes()).unwrap();
        assert_eq!(hook.status().to_string(), status);
        assert_eq!(
            hook.unknown["new_key"].to_value().unwrap(),
            serde_json::json!([1])
        );
    }
}

#[test]
fn bad_bodies_are_typed_errors() {
    for (content_type, body, kind, field) in [
        (
            "application/json",
            &br#"{"imp_uid":"i","imp_uid":"j","merchant_uid":"m","status":"paid"}"#[..],
            ErrorKind::DuplicateField,
            Some("imp_uid"),
        ),
        (
            "application/x-www-form-urlencoded",
            b"imp_uid=i&imp_uid=i&merchant_uid=m&status=paid",
            ErrorKind::DuplicateField,
            Some("imp_uid"),
        ),
        (
            "application/x-www-form-urlencoded",
            b"imp_uid=i&merchant_uid=%zz&status=paid",
            ErrorKind::Syntax,
            Some("merchant_uid"),
        ),
        (
            "application/x-www-form-urlencoded",
            b"imp_uid=i&merchant_uid=m&status=%FF",
            ErrorKind::Syntax,
            Some("status"),
        ),
        (
            "application/x-www-form-urlencoded",
            b"imp_uid=i&merchant_uid=m",
            ErrorKind::MissingField,
            Some("status"),
        ),
        (
            "application/x-www-form-urlencoded",
            b"imp_uid=i&merchant_uid=\xff",
            ErrorKind::Syntax,
            None,
        ),
        (
            "application/json",
            b"{\"imp_uid\":1,\"merchant_uid\":\"m\",\"status\":\"paid\"}",
            ErrorKind::InvalidValue,
            Some("imp_uid"),
        ),
        (
            "text/plain",
            b"imp_uid=i",
            ErrorKind::InvalidValue,
            Some("content-type"),
        ),
    ] {
        let err = Webhook::from_body(content_type, body).unwrap_err();
        assert_eq!(
            err.kind(),
            kind,
            "{content_type} {:?}: {err}",
            String::from_utf8_lossy(body)
        );
        assert_eq!(err.field(), field, "{err}");
    }
}
