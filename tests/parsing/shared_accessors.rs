//! The dispatcher's cross-PG accessors (`paid_amount()`, `status()` …): what
//! the PG's own type holds, `None` for PGs whose schema does not list the
//! property, checked on every callback fixture.

use crate::support;

use portone_pg::{Amount, Currency, PayMethod, PaymentResponse, Status};
use serde_json::Value;

fn parse(fixture: &support::Fixture) -> PaymentResponse {
    let body = support::read("callbacks", &fixture.file);
    match &fixture.pg {
        Some(pg) => PaymentResponse::from_json_with_pg(pg, &body),
        None => PaymentResponse::from_json(&body),
    }
    .unwrap()
}

#[test]
fn each_accessor_answers_exactly_when_the_schema_lists_the_property_and_the_body_has_it() {
    let mut answered = 0;
    for fixture in support::manifest("callbacks") {
        if fixture.expect == "error" {
            continue;
        }
        let response = parse(&fixture);
        let body: Value =
            serde_json::from_slice(&support::read("callbacks", &fixture.file)).unwrap();
        let listed = |name: &str| response.schema().iter().any(|f| f.name == name);
        let present = |name: &str| body.get(name).is_some_and(|v| !v.is_null() && v != "null");
        let answers = [
            ("paid_amount", response.paid_amount().is_some()),
            ("currency", response.currency().is_some()),
            ("pay_method", response.pay_method().is_some()),
            ("status", response.status().is_some()),
            ("pg_tid", response.pg_tid().is_some()),
            ("paid_at", response.paid_at().is_some()),
            ("apply_num", response.apply_num().is_some()),
            ("receipt_url", response.receipt_url().is_some()),
            ("emb_pg_provider", response.emb_pg_provider().is_some()),
        ];
        for (name, some) in answers {
            let expected = listed(name) && present(name);
            assert_eq!(
                some,
                expected,
                "{} {name}: listed {} present {}",
                fixture.file,
                listed(name),
                present(name)
            );
            answered += usize::from(some);
        }
    }
    assert!(answered > 100, "only {answered} answers over the fixtures");
}

#[test]
fn values_are_the_typed_ones_and_thin_or_unknown_pgs_answer_none() {
    let kcp = PaymentResponse::from_json_with_pg(
        "kcp",
        br#"{"success":true,"imp_uid":"imp_1","merchant_uid":"o-1","pay_method":"card",
            "paid_amount":"1004","currency":"KRW","pg_provider":"kcp","pg_tid":"T1","status":"paid"}"#,
    )
    .unwrap();
    assert_eq!(kcp.paid_amount(), Some(&Amount::from(1004)));
    assert_eq!(kcp.currency(), Some(&Currency::Krw));
    assert_eq!(kcp.pay_method(), Some(&PayMethod::Card));
    assert_eq!(kcp.status(), Some(&Status::Paid));
    assert_eq!(kcp.pg_tid(), Some("T1"));

    // Toss Payments' new module sends ids only: no claimed amount to read.
    let toss = PaymentResponse::from_json_with_pg(
        "tosspayments",
        br#"{"imp_uid":"imp_2","merchant_uid":"o-2"}"#,
    )
    .unwrap();
    assert_eq!((toss.paid_amount(), toss.status()), (None, None));

    let unknown = PaymentResponse::from_json(
        br#"{"pg_provider":"newpg","paid_amount":1004,"status":"paid"}"#,
    )
    .unwrap();
    assert!(matches!(unknown, PaymentResponse::Unknown(_)));
    assert_eq!(unknown.paid_amount(), None);
}
