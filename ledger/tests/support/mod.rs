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

/// A database of its own on the PostgreSQL server named by
/// `PORTONE_LEDGER_POSTGRES_URL` (`bash scripts/postgres.sh start DIR`
/// starts one). Without it the Postgres tests say that they were skipped
/// and pass — except under `CI=true`, where that is a failure.
#[cfg(feature = "postgres")]
pub struct Pg {
    pub url: String,
}

#[cfg(feature = "postgres")]
pub const POSTGRES_URL: &str = "PORTONE_LEDGER_POSTGRES_URL";

#[cfg(feature = "postgres")]
impl Pg {
    pub async fn database() -> Option<Pg> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static SERIAL: AtomicUsize = AtomicUsize::new(0);
        let Ok(admin) = std::env::var(POSTGRES_URL) else {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("CI=true and {POSTGRES_URL} is not set: the Postgres tests cannot run");
            }
            eprintln!(
                "SKIPPED: {POSTGRES_URL} is not set; start a server with scripts/postgres.sh"
            );
            return None;
        };
        let name = format!(
            "ledger_{}_{}_{}",
            std::process::id(),
            SERIAL.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .subsec_nanos()
        );
        use sqlx::Connection;
        let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
        sqlx::query(&format!("CREATE DATABASE {name}"))
            .execute(&mut conn)
            .await
            .unwrap();
        let (base, _) = admin.rsplit_once('/').unwrap();
        Some(Pg {
            url: format!("{base}/{name}"),
        })
    }

    /// A new store (its own pool) on this database.
    pub async fn store(&self) -> portone_pg_ledger::store::PostgresStore {
        portone_pg_ledger::store::PostgresStore::connect(&self.url)
            .await
            .unwrap()
    }
}
