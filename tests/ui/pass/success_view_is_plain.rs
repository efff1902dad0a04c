// The guarantees that must compile: plain values in the success view.
use portone_pg::{Amount, PayMethod, PaymentResponse, Timestamp, pg};

fn amount(success: pg::KcpSuccess) -> (Amount, String, PayMethod, Timestamp) {
    (success.paid_amount, success.imp_uid, success.pay_method, success.paid_at)
}

fn thin(success: pg::TosspaymentsSuccess) -> String {
    success.imp_uid
}

fn main() {
    let body = br#"{"pg_provider":"kcp","merchant_uid":"o","imp_uid":"imp_1","success":true,"pay_method":"card","name":"n","paid_amount":1004,"pg_tid":"t","status":"paid","paid_at":1648344363}"#;
    let PaymentResponse::Kcp(kcp) = PaymentResponse::from_json(body).unwrap() else { unreachable!() };
    let (paid, imp_uid, _, _) = amount(kcp.into_success().unwrap());
    assert_eq!(paid, Amount::from(1004));
    assert_eq!(imp_uid, "imp_1");
    let body = br#"{"imp_uid":"imp_2","merchant_uid":"o"}"#;
    let PaymentResponse::Tosspayments(toss) = PaymentResponse::from_json_with_pg("tosspayments", body).unwrap() else { unreachable!() };
    assert_eq!(thin(toss.into_success().unwrap()), "imp_2");
}
