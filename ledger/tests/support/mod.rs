//! What the ledger's tests share: the fake V1 API, clients, stores on
//! temporary SQLite files, and the axum doors served on 127.0.0.1.
#![allow(dead_code, unused_imports)] // each test file uses part of it

use std::path::PathBuf;
use std::time::Duration;

use portone_pg::Amount;
use portone_pg::client::Client;
use portone_pg_fake::{FakeApi, NewPayment};
use portone_pg_ledger::store::SqliteStore;

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
mod doors;
#[cfg(feature = "axum")]
pub use doors::Doors;
