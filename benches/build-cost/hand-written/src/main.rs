//! The same flow with hand-written serde structs: what an integrator writes
//! without portone-pg (no leniency, no per-PG types, f64-free but strict).
use serde::Deserialize;

#[derive(Deserialize)]
struct Callback {
    success: Option<bool>,
    imp_uid: Option<String>,
    merchant_uid: String,
    pg_provider: Option<String>,
    paid_amount: Option<u64>,
    error_msg: Option<String>,
}

#[derive(Deserialize)]
struct Envelope {
    code: i64,
    message: Option<String>,
    response: Option<Payment>,
}

#[derive(Deserialize)]
struct Payment {
    imp_uid: String,
    merchant_uid: String,
    amount: u64,
    cancel_amount: Option<u64>,
    currency: Option<String>,
    status: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let callback = std::fs::read(std::env::args().nth(1).ok_or("callback file")?)?;
    let rest = std::fs::read(std::env::args().nth(2).ok_or("REST file")?)?;
    let callback: Callback = serde_json::from_slice(&callback)?;
    if callback.pg_provider.as_deref() == Some("kcp") && callback.success == Some(true) {
        println!("claimed {:?} for {}", callback.paid_amount, callback.merchant_uid);
    } else {
        println!("failed: {:?} {:?}", callback.error_msg, callback.imp_uid);
    }
    let envelope: Envelope = serde_json::from_slice(&rest)?;
    let payment = envelope.response.ok_or(format!("code {}: {:?}", envelope.code, envelope.message))?;
    let paid = payment.merchant_uid == "57008833-33004"
        && payment.amount == 1004
        && payment.cancel_amount.unwrap_or(0) == 0
        && payment.currency.as_deref().unwrap_or("KRW") == "KRW"
        && payment.status == "paid";
    println!("{} paid: {paid}", payment.imp_uid);
    Ok(())
}
