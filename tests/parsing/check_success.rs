//! `check_success` borrows and answers what `into_success` would.

use portone_pg::{ErrorKind, PaymentResponse, pg};

fn kcp(json: &str) -> pg::Kcp {
    match PaymentResponse::from_json_with_pg("kcp", json.as_bytes()).unwrap() {
        PaymentResponse::Kcp(kcp) => kcp,
        other => panic!("not KCP: {other:?}"),
    }
}

#[test]
fn the_borrowing_check_agrees_with_into_success_and_keeps_the_response() {
    let cases = [
        (
            r#"{"success":true,"imp_uid":"imp_1","merchant_uid":"o","pay_method":"card","paid_amount":1004,
               "currency":"KRW","pg_provider":"kcp","pg_tid":"T","status":"paid","paid_at":1,"apply_num":"1",
               "receipt_url":"https://r","name":"n","pg_type":"payment","card_name":"c","card_quota":0,
               "card_number":"1234","buyer_name":"b","buyer_email":"e","buyer_tel":"t","buyer_addr":"a",
               "buyer_postcode":"p","custom_data":null,"bank_name":null,"vbank_num":null,"vbank_name":null,
               "vbank_holder":null,"vbank_date":0,"customer_uid":null,"emb_pg_provider":null,"request_id":"r"}"#,
            None,
        ),
        (
            r#"{"success":false,"imp_uid":"imp_1","merchant_uid":"o","error_code":"F","error_msg":"cancelled"}"#,
            Some(ErrorKind::NotSuccess),
        ),
        (
            r#"{"success":true,"imp_uid":"imp_1","merchant_uid":"o","pg_provider":"kcp"}"#,
            Some(ErrorKind::Incomplete),
        ),
    ];
    for (json, expected) in cases {
        let response = kcp(json);
        let checked = response.check_success();
        // The response is still ours after a failed check.
        let kept = format!("{response:?}");
        let converted = response.into_success();
        assert_eq!(checked.as_ref().err().map(|e| e.kind()), expected, "{json}");
        assert_eq!(
            checked.err().map(|e| e.to_string()),
            converted.err().map(|e| e.to_string()),
            "{kept}"
        );
    }
}
