//! Runs the checkout server on 127.0.0.1:3000, its orders in a SQLite file.
//!
//! With `IMP_KEY` and `IMP_SECRET` set it talks to PortOne; without them it
//! starts the fake V1 API in-process and prints how to pay an order
//! through it. `DATABASE_URL` names the file (default
//! `sqlite://checkout.db?mode=rwc`).
//!
//! ```text
//! cargo run -p checkout-server
//! ```

use std::net::SocketAddr;
use std::time::Duration;

use checkout_server::{router, work};
use portone_pg::client::Client;
use portone_pg_fake::{FakeApi, WebhookFormat};
use portone_pg_ledger::Ledger;
use portone_pg_ledger::store::SqliteStore;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let credentials = std::env::var("IMP_KEY")
        .ok()
        .zip(std::env::var("IMP_SECRET").ok());
    let (client, fake) = match credentials {
        Some((key, secret)) => (Client::builder(key, secret).build()?, None),
        None => {
            let fake = FakeApi::start().await?;
            let client = Client::builder(fake.key(), fake.secret())
                .base_url(fake.url())
                .build()?;
            println!(
                "no IMP_KEY/IMP_SECRET: using the fake V1 API at {}",
                fake.url()
            );
            (client, Some(fake))
        }
    };
    let database = std::env::var("DATABASE_URL")
        .unwrap_or_else(|_| "sqlite://checkout.db?mode=rwc".to_owned());
    let ledger = Ledger::new(client, SqliteStore::connect(&database).await?);
    println!("orders in {database}");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    let address = listener.local_addr()?;
    if let Some(fake) = &fake {
        fake.send_webhooks_to(
            &format!("http://{address}/portone/webhook"),
            WebhookFormat::Json,
        );
        println!(
            "try:\n  curl -X POST localhost:3000/orders -H 'content-type: application/json' -d '{{\"merchant_uid\":\"order-1\",\"amount\":\"1004\"}}'\n\
             then pay it in the fake (this demo pays order-1 ten seconds after it is opened) and look:\n  curl localhost:3000/orders/order-1"
        );
    }
    // The worker: carries out jobs, and sweeps for lost notifications.
    let worker = ledger.clone();
    let demo = fake;
    tokio::spawn(async move {
        let mut demo_paid = false;
        loop {
            tokio::time::sleep(Duration::from_secs(10)).await;
            if let Some(fake) = &demo
                && !demo_paid
                && worker.order("order-1").await.ok().flatten().is_some()
            {
                demo_paid = true;
                let payment =
                    portone_pg_fake::NewPayment::paid("order-1", portone_pg::Amount::from(1004));
                if let Ok(imp_uid) = fake.create(payment) {
                    fake.send_webhook(&imp_uid).await;
                }
            }
            match work(&worker).await {
                Ok(lines) => lines.iter().for_each(|line| println!("job: {line}")),
                Err(error) => eprintln!("jobs: {error}"),
            }
            if let Err(error) = worker.reconcile(Duration::from_secs(600)).await {
                eprintln!("sweep: {error}");
            }
        }
    });
    println!("listening on http://{address}");
    axum::serve(
        listener,
        router(ledger).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}
