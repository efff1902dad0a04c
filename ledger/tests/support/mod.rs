//! What the ledger's tests share: the fake V1 API, clients, stores on
//! temporary SQLite files, and the axum doors served on 127.0.0.1.
#![allow(dead_code)] // each test file uses part of it

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use portone_pg::Amount;
use portone_pg::client::Client;
use portone_pg_fake::{FakeApi, NewPayment, WebhookFormat};
use portone_pg_ledger::Ledger;
use portone_pg_ledger::store::{SqliteStore, Store};

pub fn client(fake: &FakeApi) -> Client {
    Client::builder(fake.key(), fake.secret())
        .base_url(fake.url())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

/// A fake that allows many requests (the races make thousands).
pub async fn fake() -> FakeApi {
    FakeApi::builder()
        .max_requests(200_000)
        .max_lifetime(Duration::from_secs(600))
        .start()
        .await
        .unwrap()
}

/// A fresh SQLite file in a temporary directory (kept as long as the
/// returned guard lives).
pub struct Db {
    _dir: tempfile::TempDir,
    pub path: PathBuf,
}

impl Db {
    pub fn new() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ledger.db");
        Db { _dir: dir, path }
    }

    pub fn url(&self) -> String {
        format!("sqlite://{}?mode=rwc", self.path.display())
    }

    /// A new store (its own pool) on this file.
    pub async fn store(&self) -> SqliteStore {
        SqliteStore::connect(&self.url()).await.unwrap()
    }
}

/// A paid card payment for `merchant_uid` in the fake; its imp_uid.
pub fn paid(fake: &FakeApi, merchant_uid: &str, won: i64) -> String {
    fake.create(NewPayment::paid(merchant_uid, Amount::from(won)))
        .unwrap()
}

#[cfg(feature = "axum")]
/// The doors of `ledger` served on 127.0.0.1, the fake's webhooks sent
/// there. Stops when dropped.
#[cfg(feature = "axum")]
pub struct Doors {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

#[cfg(feature = "axum")]
impl Doors {
    pub async fn serve<S: Store>(ledger: Ledger<S>, fake: Option<&FakeApi>) -> Doors {
        let app = portone_pg_ledger::axum::routes(ledger, Default::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let service = app.into_make_service_with_connect_info::<SocketAddr>();
            let _ = tokio::time::timeout(Duration::from_secs(600), axum::serve(listener, service))
                .await;
        });
        if let Some(fake) = fake {
            fake.send_webhooks_to(
                &format!("http://{addr}/portone/webhook"),
                WebhookFormat::Json,
            );
        }
        Doors { addr, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

#[cfg(feature = "axum")]
impl Drop for Doors {
    fn drop(&mut self) {
        self.task.abort();
    }
}
