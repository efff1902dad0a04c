// An integrator's own schemas compile to types that read like the built-in ones.
portone_pg::extend_schemas!(dir = "../schemas/extend_ok", relative_to = source_file);

fn main() {
    let body = br#"{"imp_uid":"imp_1","merchant_uid":"o-1"}"#;
    let response = PaymentResponse::from_json_with_pg("mypg", body).unwrap();
    let PaymentResponse::Mypg(mine) = response else { panic!() };
    let _: String = mine.merchant_uid;
}
