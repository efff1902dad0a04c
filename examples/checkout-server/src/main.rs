//! Runs the checkout server, its orders in SQLite or Postgres.
//!
//! ```text
//! cargo run -p checkout-server                                  # SQLite file, the fake V1 API
//! DATABASE_URL=postgres://user@host/shop cargo run -p checkout-server
//! ```
//!
//! | variable | meaning | default |
//! |---|---|---|
//! | `DATABASE_URL` | `sqlite://…` or `postgres://…` | `sqlite://checkout.db?mode=rwc` |
//! | `CHECKOUT_ADDR` | where to listen | `127.0.0.1:3000` |
//! | `IMP_KEY`, `IMP_SECRET` | PortOne's V1 API key; without them the fake V1 API runs in-process | |
//! | `PORTONE_API_URL` | another API base URL (a shared fake, a proxy) | PortOne's |
//! | `CHECKOUT_WORKER_EVERY` | seconds between the worker's rounds (jobs, then the sweep); `0`: no worker | `10` |
//! | `CHECKOUT_JOB_LEASE` | seconds a claimed job is leased | `60` |
//! | `CHECKOUT_REFUND_LEASE` | seconds a refund holds its idempotency key | `120` |
//! | `CHECKOUT_HOLD` | stop forever at a point, for crash tests: `after_door` (a door's answer made, not sent), `job` (a job claimed, not done) | |
//!
//! Two instances on one Postgres database (two ports, one `DATABASE_URL`)
//! fulfil each order once between them.

use std::net::SocketAddr;
use std::time::Duration;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use checkout_server::{checkout, router};
use portone_pg::client::Client;
use portone_pg_fake::{FakeApi, WebhookFormat};
use portone_pg_ledger::store::{PostgresStore, SqliteStore, Store};
use portone_pg_ledger::{JobKind, Ledger};

fn setting(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn seconds(name: &str, default: u64) -> Result<Duration, Box<dyn std::error::Error>> {
    match setting(name) {
        Some(text) => Ok(Duration::from_secs(text.parse()?)),
        None => Ok(Duration::from_secs(default)),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (client, fake) = match (setting("IMP_KEY"), setting("IMP_SECRET")) {
        (Some(key), Some(secret)) => {
            let mut builder = Client::builder(key, secret);
            if let Some(url) = setting("PORTONE_API_URL") {
                builder = builder.base_url(url);
            }
            (builder.build()?, None)
        }
        _ => {
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
    let database =
        setting("DATABASE_URL").unwrap_or_else(|| "sqlite://checkout.db?mode=rwc".to_owned());
    println!(
        "orders in {}",
        database.split('@').next_back().unwrap_or(&database)
    );
    if database.starts_with("postgres") {
        let ledger = Ledger::new(client, PostgresStore::connect(&database).await?);
        serve(ledger, fake).await
    } else {
        let ledger = Ledger::new(client, SqliteStore::connect(&database).await?);
        serve(ledger, fake).await
    }
}

async fn serve<S: Store>(
    ledger: Ledger<S>,
    fake: Option<FakeApi>,
) -> Result<(), Box<dyn std::error::Error>> {
    let ledger = ledger.refund_lease(seconds("CHECKOUT_REFUND_LEASE", 120)?);
    let hold = setting("CHECKOUT_HOLD");
    let listener = tokio::net::TcpListener::bind(
        setting("CHECKOUT_ADDR").unwrap_or_else(|| "127.0.0.1:3000".to_owned()),
    )
    .await?;
    let address = listener.local_addr()?;
    if let Some(fake) = &fake {
        fake.send_webhooks_to(
            &format!("http://{address}/portone/webhook"),
            WebhookFormat::Json,
        );
        println!(
            "try:\n  curl -X POST {address}/orders -H 'content-type: application/json' -d '{{\"merchant_uid\":\"order-1\",\"amount\":\"1004\"}}'\n\
             this demo then pays order-1 in the fake within ten seconds; look:\n  curl {address}/orders/order-1"
        );
    }
    // The checkout page loads PortOne's SDK, or the fake's stand-in.
    let sdk = fake.as_ref().map_or_else(
        || "https://cdn.iamport.kr/v1/iamport.js".to_owned(),
        FakeApi::sdk_url,
    );
    let every = seconds("CHECKOUT_WORKER_EVERY", 10)?;
    if !every.is_zero() {
        let lease = seconds("CHECKOUT_JOB_LEASE", 60)?;
        tokio::spawn(worker(ledger.clone(), fake, every, lease, hold.clone()));
    }
    let mut app = router(ledger).merge(checkout(&sdk));
    if hold.as_deref() == Some("after_door") {
        app = app.layer(axum::middleware::from_fn(hold_after_door));
    }
    println!("listening on http://{address}");
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .await?;
    Ok(())
}

/// Carries out jobs, sweeps, and (with the in-process fake) pays the demo
/// order.
async fn worker<S: Store>(
    ledger: Ledger<S>,
    demo: Option<FakeApi>,
    every: Duration,
    lease: Duration,
    hold: Option<String>,
) {
    let mut demo_paid = false;
    loop {
        tokio::time::sleep(every).await;
        if let Some(fake) = &demo
            && !demo_paid
            && ledger.order("order-1").await.ok().flatten().is_some()
        {
            demo_paid = true;
            let payment =
                portone_pg_fake::NewPayment::paid("order-1", portone_pg::Amount::from(1004));
            if let Ok(imp_uid) = fake.create(payment) {
                fake.send_webhook(&imp_uid).await;
            }
        }
        loop {
            let job = match ledger.next_job(lease).await {
                Ok(Some(job)) => job,
                Ok(None) => break,
                Err(error) => {
                    eprintln!("jobs: {error}");
                    break;
                }
            };
            if hold.as_deref() == Some("job") {
                println!("held job {}", job.key());
                std::future::pending::<()>().await;
            }
            // A real shop ships, grants or mails here, keyed by job.key().
            let what = match job.kind() {
                JobKind::Fulfil => "fulfil",
                JobKind::Cancelled { .. } => "refunded",
                JobKind::Expired => "release",
                _ => "look at",
            };
            println!(
                "job: {what} {} (attempt {})",
                job.merchant_uid(),
                job.attempts()
            );
            if let Err(error) = job.done().await {
                eprintln!("jobs: {error}");
            }
        }
        if let Err(error) = ledger.reconcile(Duration::from_secs(600)).await {
            eprintln!("sweep: {error}");
        }
    }
}

/// Crash tests: after a door (`/portone/…`) has done its work and made its
/// answer, stop before sending it.
async fn hold_after_door(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    if path.starts_with("/portone/") {
        println!("held after {path}");
        std::future::pending::<()>().await;
    }
    response
}
