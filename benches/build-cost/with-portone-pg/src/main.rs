//! The README's flow with portone-pg: a callback, its success view, the REST
//! object, verify.
use portone_pg::rest::{ApiResponse, Expected, Payment};
use portone_pg::{Amount, PaymentResponse};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let callback = std::fs::read(std::env::args().nth(1).ok_or("callback file")?)?;
    let rest = std::fs::read(std::env::args().nth(2).ok_or("REST file")?)?;
    if let PaymentResponse::Kcp(kcp) = PaymentResponse::from_json_with_pg("kcp", &callback)? {
        println!("claimed {}", kcp.into_success()?.paid_amount);
    }
    let payment = ApiResponse::<Payment>::from_json(&rest)?.into_result()?;
    let verified = payment.verify(&Expected::new("57008833-33004", Amount::from(1004)))?;
    println!("{:?}", verified.settlement());
    Ok(())
}
