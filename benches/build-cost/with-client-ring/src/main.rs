//! Confirming a payment with portone-pg's client: what with-ledger adds a
//! ledger to.
use portone_pg::Amount;
use portone_pg::client::Client;
use portone_pg::rest::Expected;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let imp_uid = std::env::args().nth(1).ok_or("imp_uid")?;
    let client = Client::builder("imp_key", "imp_secret").build()?;
    let verified = client
        .confirm(&imp_uid, &Expected::new("order-1", Amount::from(1004)))
        .await?;
    println!("{:?}", verified.settlement());
    Ok(())
}
