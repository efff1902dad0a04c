//! The REST payment object and verify(), through the public API.

use crate::support;

use portone_pg::rest::{ApiResponse, Expected, Payment, Settlement, VerifyError};
use portone_pg::{Amount, Currency, ErrorKind, PayMethod, Status};
use serde_json::Value;

fn read(file: &str) -> Vec<u8> {
    support::read("rest", file)
}

fn payment(file: &str) -> Payment {
    ApiResponse::<Payment>::from_json(&read(file))
        .unwrap()
        .into_result()
        .unwrap()
}

fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

#[test]
fn real_cancelled_payment_with_history() {
    let p = payment("nice_point_cancelled_2022.json");
    assert_eq!(p.imp_uid, "imp_245081751564");
    assert_eq!(p.status, Status::Cancelled);
    assert_eq!(p.pay_method, Some(PayMethod::Point));
    assert_eq!(p.cancel_amount, Some(Amount::from(100)));
    let history = p.cancel_history.as_ref().unwrap();
    assert_eq!(history[0].amount, Amount::from(100));
    assert_eq!(history[0].cancellation_id, None);
    assert_eq!(
        p.started_at.as_ref().unwrap().unix_seconds(),
        Some(1654780081)
    );
    assert!(p.vbank_date.as_ref().unwrap().is_unset());
    assert!(p.extra.is_empty());
    // Serializing gives the object back (null ≡ absent).
    let original: Value = serde_json::from_slice(&read("nice_point_cancelled_2022.json")).unwrap();
    assert_eq!(
        without_nulls(&serde_json::to_value(&p).unwrap()),
        without_nulls(&original["response"])
    );
    assert_eq!(
        p.verify(&Expected::new("nobody_1654780079485", Amount::from(100))),
        Err(VerifyError::Cancelled {
            cancel_amount: Amount::from(100)
        })
    );
}

#[test]
fn older_objects_and_escapes() {
    let p = payment("uplus_vbank_ready_escaped_2017.json");
    assert_eq!(p.name.as_deref(), Some("주문명:테스트"));
    assert_eq!(
        p.receipt_url.as_deref(),
        Some("https://pgweb.tosspayments.com/receipt/T0309260000000")
    );
    assert_eq!(p.card_number, None);
    assert_eq!(p.pg_id, None);
    assert_eq!(p.started_at, None);
    assert_eq!(p.sandbox, None);
    let verified = p
        .verify(&Expected::new("order-2017-60", Amount::from(50000)).currency(Currency::Krw))
        .unwrap();
    assert_eq!(verified.settlement(), Settlement::AwaitingDeposit);
}

#[test]
fn error_envelope() {
    let envelope = ApiResponse::<Payment>::from_json(&read("error_not_found.json")).unwrap();
    assert_eq!(envelope.code, -1);
    assert!(envelope.response.is_none());
    let message = envelope.message.clone();
    let err = envelope.into_result().unwrap_err();
    assert!(err.to_string().contains("code -1"), "{err}");
    // Its own kind, so "not found" can be told from a malformed body.
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.api_code(), Some(-1));
    assert_eq!(err.api_message(), message.as_deref());
    assert!(err.api_message().is_some());
}

fn paid() -> Payment {
    Payment::from_json(
        br#"{"imp_uid":"imp_1","merchant_uid":"order-1","amount":"10.50","cancel_amount":0,
             "currency":"USD","status":"paid","pay_method":"card","buyer_name":"Hong Gildong"}"#,
    )
    .unwrap()
}

#[test]
fn verify_names_each_mismatch() {
    let ok = Expected::new("order-1", "10.5".parse().unwrap()).currency(Currency::Usd);
    assert_eq!(paid().verify(&ok).unwrap().settlement(), Settlement::Paid);
    let cases = [
        (
            Expected::new("order-1", Amount::from(1)).currency(Currency::Usd),
            VerifyError::Amount {
                expected: Amount::from(1),
                found: "10.50".parse().unwrap(),
            },
        ),
        (
            Expected::new("order-2", "10.50".parse().unwrap()).currency(Currency::Usd),
            VerifyError::MerchantUid {
                expected: "order-2".into(),
                found: "order-1".into(),
            },
        ),
        (
            ok.clone().currency(Currency::Krw),
            VerifyError::Currency {
                expected: Currency::Krw,
                found: Currency::Usd,
            },
        ),
        // No currency named: the order is in KRW, and a USD payment is refused.
        (
            Expected::new("order-1", "10.50".parse().unwrap()),
            VerifyError::Currency {
                expected: Currency::Krw,
                found: Currency::Usd,
            },
        ),
        (
            ok.clone().imp_uid("imp_2"),
            VerifyError::ImpUid {
                expected: "imp_2".into(),
                found: "imp_1".into(),
            },
        ),
    ];
    for (expected, error) in cases {
        assert_eq!(paid().verify(&expected), Err(error));
    }
    for (status, method) in [("failed", "card"), ("cancelled", "card"), ("ready", "card")] {
        let body = format!(
            r#"{{"imp_uid":"imp_1","merchant_uid":"order-1","amount":10.5,"currency":"USD","status":"{status}","pay_method":"{method}"}}"#
        );
        let p = Payment::from_json(body.as_bytes()).unwrap();
        assert!(
            matches!(p.verify(&ok), Err(VerifyError::Status { .. })),
            "{status}"
        );
    }
}

/// A paid KRW 1004 card payment, with `extra` JSON properties spliced in.
fn paid_krw(extra: &str) -> Payment {
    let body = format!(
        r#"{{"imp_uid":"imp_1","merchant_uid":"order-1","amount":1004,"status":"paid","pay_method":"card"{extra}}}"#
    );
    Payment::from_json(body.as_bytes()).unwrap()
}

#[test]
fn currency_is_always_compared_and_defaults_to_krw() {
    let order = Expected::new("order-1", Amount::from(1004));
    // Stated or not, KRW is KRW.
    for currency in ["", r#","currency":"KRW""#, r#","currency":null"#] {
        assert!(paid_krw(currency).verify(&order).is_ok(), "{currency}");
    }
    // Every other currency is refused for a KRW order, whatever the amount.
    for (currency, found) in [
        ("USD", Currency::Usd),
        ("JPY", Currency::from_code("JPY")),
        ("XYZ", Currency::from_code("XYZ")),
    ] {
        let p = paid_krw(&format!(r#","currency":"{currency}""#));
        assert_eq!(
            p.verify(&order).unwrap_err(),
            VerifyError::Currency {
                expected: Currency::Krw,
                found
            },
            "{currency}"
        );
    }
    // A USD order refuses a KRW payment, stated or defaulted.
    let usd = order.clone().currency(Currency::Usd);
    assert!(matches!(
        paid_krw("").verify(&usd),
        Err(VerifyError::Currency { .. })
    ));
}

#[test]
fn test_channel_payments_are_refused_unless_allowed() {
    let order = Expected::new("order-1", Amount::from(1004));
    for sandbox in [r#","sandbox":true"#, r#","sandbox":"true""#] {
        let p = paid_krw(sandbox);
        assert_eq!(p.verify(&order), Err(VerifyError::Sandbox), "{sandbox}");
        assert_eq!(
            p.verify(&order.clone().allow_sandbox())
                .unwrap()
                .settlement(),
            Settlement::Paid
        );
    }
    // A virtual account issued through a test channel is refused too.
    let ready = Payment::from_json(
        br#"{"imp_uid":"imp_1","merchant_uid":"order-1","amount":1004,"status":"ready","pay_method":"vbank","vbank_num":"1","sandbox":true}"#,
    )
    .unwrap();
    assert_eq!(ready.verify(&order), Err(VerifyError::Sandbox));
    // `sandbox: false`, null or absent (objects before 2026-01-26): a real payment.
    for sandbox in [r#","sandbox":false"#, r#","sandbox":null"#, ""] {
        assert!(paid_krw(sandbox).verify(&order).is_ok(), "{sandbox}");
    }
    assert_eq!(
        VerifyError::Sandbox.to_string(),
        "sandbox: the payment was made through a test channel and moved no money"
    );
}

#[test]
fn bad_objects_are_typed_errors_naming_the_field() {
    for (body, kind, field) in [
        (
            r#"{"imp_uid":"i","merchant_uid":"m","status":"paid"}"#,
            ErrorKind::MissingField,
            Some("amount"),
        ),
        (
            r#"{"imp_uid":"i","merchant_uid":"m","amount":null,"status":"paid"}"#,
            ErrorKind::MissingField,
            Some("amount"),
        ),
        (
            r#"{"imp_uid":"i","merchant_uid":"m","amount":"ten","status":"paid"}"#,
            ErrorKind::InvalidValue,
            Some("amount"),
        ),
        (
            r#"{"imp_uid":"i","merchant_uid":"m","amount":1,"amount":2,"status":"paid"}"#,
            ErrorKind::DuplicateField,
            Some("amount"),
        ),
        (
            r#"{"imp_uid":"i","merchant_uid":"m","amount":1,"status":"paid","x":1,"x":2}"#,
            ErrorKind::DuplicateField,
            Some("x"),
        ),
        (
            r#"{"imp_uid":"i","merchant_uid":"m","amount":1,"status":"paid","cancel_history":[{"reason":"x"}]}"#,
            ErrorKind::InvalidValue,
            Some("cancel_history"),
        ),
        (r#"[1]"#, ErrorKind::NotAnObject, None),
        (r#"{"imp_uid":"i""#, ErrorKind::Syntax, None),
    ] {
        let err = Payment::from_json(body.as_bytes()).unwrap_err();
        assert_eq!(err.kind(), kind, "{body}: {err}");
        assert_eq!(err.field(), field, "{body}");
    }
}

#[test]
fn personal_data_is_redacted_in_debug_only() {
    let p = paid();
    let debug = format!("{p:?}");
    assert!(!debug.contains("Hong"), "{debug}");
    assert!(debug.contains("buyer_name: <redacted>"), "{debug}");
    assert!(serde_json::to_string(&p).unwrap().contains("Hong Gildong"));
}

#[test]
fn deposit_history_of_a_fixed_virtual_account() {
    let p = Payment::from_json(
        br#"{"imp_uid":"imp_1","merchant_uid":"order-1","amount":30000,"status":"paid","pay_method":"vbank",
             "deposit_history":[{"pg_tid":"t1","amount":10000,"depositor_name":"Hong Gildong","deposited_at":1700000000},
                                {"pg_tid":"t2","amount":"20000","depositor_name":"Hong Gildong","deposited_at":1700086400}]}"#,
    )
    .unwrap();
    let deposits = p.deposit_history.as_ref().unwrap();
    assert_eq!(deposits.len(), 2);
    assert_eq!(deposits[1].amount, Amount::from(20000));
    assert!(!format!("{p:?}").contains("Hong"));
    assert_eq!(
        deposits[0].deposited_at.as_ref().unwrap().unix_seconds(),
        Some(1700000000)
    );
}

/// Parses a `rest_objects` fixture as `T` and checks that serializing
/// gives the documented object back exactly (null ≡ absent), that no key
/// went to `extra` unnoticed, and that `Debug` shows none of the
/// fixtures' personal-data placeholders.
fn round_trip<T>(file: &str) -> T
where
    T: portone_pg::rest::Payload + serde::Serialize + std::fmt::Debug,
{
    let body = support::read("rest_objects", file);
    let parsed = ApiResponse::<T>::from_json(&body)
        .unwrap_or_else(|e| panic!("{file}: {e}"))
        .into_result()
        .unwrap();
    let original: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        without_nulls(&serde_json::to_value(&parsed).unwrap()),
        without_nulls(&original["response"]),
        "{file}"
    );
    let shown = format!("{parsed:?}");
    for placeholder in [
        "홍길동",
        "buyer@example.com",
        "010-0000-0000",
        "서울특별시",
        "cust_1",
    ] {
        assert!(
            !shown.contains(placeholder),
            "{file}: {placeholder} in {shown}"
        );
    }
    parsed
}

#[test]
fn every_rest_object_round_trips_exactly_and_keeps_personal_data_out_of_debug() {
    use portone_pg::rest::{
        AccountHolder, BillingKeyInfo, CashReceipt, EscrowDelivery, ExternalCashReceipt,
        PaymentBalance, ScheduledPayment, StandardCode,
    };
    let key = round_trip::<BillingKeyInfo>("billing_key.json");
    assert!(key.extra.is_empty(), "{:?}", key.extra.keys());
    assert_eq!(
        key.card_type.as_ref().map(ToString::to_string).as_deref(),
        Some("0")
    );
    let schedules = round_trip::<Vec<ScheduledPayment>>("schedule.json");
    assert!(
        schedules[0].extra.is_empty(),
        "{:?}",
        schedules[0].extra.keys()
    );
    assert_eq!(schedules[0].payment_status, Some(Status::Paid));
    assert!(schedules[0].revoked_at.as_ref().unwrap().is_unset());
    let delivery = round_trip::<EscrowDelivery>("escrow_delivery.json");
    assert_eq!(delivery.sent_at.unix_seconds(), Some(1_798_761_600));
    let receipt = round_trip::<CashReceipt>("cash_receipt.json");
    assert_eq!(
        (receipt.receipt_type(), receipt.is_revoked()),
        (Some("person"), false)
    );
    let external = round_trip::<ExternalCashReceipt>("external_cash_receipt.json");
    assert_eq!(
        (external.receipt_type(), external.is_revoked(), external.vat),
        (Some("company"), true, Some(Amount::from(3000)))
    );
    let balance = round_trip::<PaymentBalance>("payment_balance.json");
    let histories = balance.histories.as_ref().unwrap();
    assert_eq!(histories[1].primary.supply, Amount::from(-5000));
    assert!(histories[1].primary.vat.is_negative());
    let codes = round_trip::<Vec<StandardCode>>("card_codes.json");
    assert_eq!(codes.len(), 3);
    let holder = round_trip::<AccountHolder>("account_holder.json");
    assert_eq!(holder.bank_holder.as_deref(), Some("홍길동"));
}
