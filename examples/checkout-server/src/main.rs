//! Runs the checkout server on 127.0.0.1:3000.
//!
//! With `IMP_KEY` and `IMP_SECRET` set it talks to PortOne; without them it
//! starts the fake V1 API in-process, with one paid demo payment, and prints
//! the request that confirms it:
//!
//! ```text
//! cargo run -p checkout-server
//! ```

use checkout_server::{App, router};
use portone_pg::Amount;
use portone_pg::client::Client;
use portone_pg_fake::{FakeApi, NewPayment};

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
    let app = App::new(client);
    app.open_order("order-1004", Amount::from(1004)).await?;
    if let Some(fake) = &fake {
        // The buyer pays in the window: the fake records the payment.
        let imp_uid = fake
            .create(NewPayment::paid("order-1004", Amount::from(1004)))
            .map_err(|why| why.to_string())?;
        println!(
            "try: curl -X POST 'localhost:3000/payments/callback?pg=kcp' -H 'content-type: application/json' \\\n     -d '{{\"success\":true,\"imp_uid\":\"{imp_uid}\",\"merchant_uid\":\"order-1004\"}}'"
        );
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:3000").await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router(app)).await?;
    Ok(())
}
