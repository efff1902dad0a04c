// The same confirmation through portone-pg-ledger on a SQLite file: the
// order opened, the payment settled once.
use portone_pg::Amount;
use portone_pg::client::Client;
use portone_pg_ledger::Ledger;
use portone_pg_ledger::store::SqliteStore;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let imp_uid = std::env::args().nth(1).ok_or("imp_uid")?;
    let client = Client::builder("imp_key", "imp_secret").build()?;
    let ledger = Ledger::new(client, SqliteStore::connect("sqlite://shop.db?mode=rwc").await?);
    ledger.open("order-1", Amount::from(1004)).await?;
    let settled = ledger.settle(&imp_uid).await?;
    println!("{} {}", settled.state(), settled.is_first());
    Ok(())
}
