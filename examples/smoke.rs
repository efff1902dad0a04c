use portone_pg::{PaymentResponse, pg};
fn main() {
    let body = r#"{"apply_num": "42827474", "bank_name": null, "buyer_addr": "a", "buyer_email": "e", "buyer_name": "n", "buyer_postcode": "123-456", "buyer_tel": "t", "card_name": "신한카드", "card_number": "5428790000000294", "card_quota": 0, "currency": "KRW", "custom_data": null, "imp_uid": "imp_347242536261", "merchant_uid": "57008833-33004", "name": "당근 10kg", "paid_amount": 1004, "paid_at": 1648344363, "pay_method": "card", "pg_provider": "kcp", "pg_tid": "22336466628585", "pg_type": "payment", "receipt_url": "https://x", "status": "paid", "success": true, "zzz": [1]}"#.as_bytes();
    let r = PaymentResponse::from_json(body).unwrap();
    println!("{r:#?}");
    println!("{}", serde_json::to_string(&r).unwrap());
    if let PaymentResponse::Kcp(k) = r { let s: pg::KcpSuccess = k.into_success().unwrap(); println!("{} {}", s.paid_amount, s.imp_uid); }
    for bad in [&br#"{"pg_provider":"kcp","merchant_uid":"o","paid_amount":"ten"}"#[..], br#"{"pg_provider":"kcp"}"#, br#"{"pg_provider":"kcp","merchant_uid":"o","success":true,"imp_success":true}"#, br#"{"pg_provider":"kcp","merchant_uid":"o""#, br#"{"pg_provider":"tosspayments","merchant_uid":"o","pg_provider":"kcp"}"#] {
        let e = PaymentResponse::from_json(bad).unwrap_err();
        println!("{:?} | {e}", e.kind());
    }
    println!("{:?}", PaymentResponse::from_json_with_pg("tosspayments", br#"{"imp_uid":"imp_1","merchant_uid":"o","success":true}"#));
    println!("{:?}", PaymentResponse::from_json_with_pg("kcp", br#"{"imp_uid":"imp_1","merchant_uid":"o","pg_provider":"nice"}"#));
}
