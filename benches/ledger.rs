//! The ledger's transition on SQLite and on Postgres, each against the same
//! SQL statements written by hand with sqlx, in the same run, on the same
//! database and pool.
//! PortOne's lookup is not measured: both apply a payment object already
//! fetched (`Ledger::apply`), so only the ledger's own work and the
//! database's are.
//!
//! - `settle/ledger` vs `settle/hand_written_sqlx`: a pending order becomes
//!   paid, with its transition row and its Fulfil job, in one
//!   `BEGIN IMMEDIATE` transaction (read the order, its history and its
//!   cancellations; update it on its version; insert the transition and the
//!   job; commit).
//! - `throughput/<store>_<n>_pools`: 64 concurrent settles of 64 different
//!   orders over n ledgers (1, 2, 4), each with its own pool on the one
//!   database (criterion reports settles per second).
//! - After criterion, the latency of 64 concurrent settles of one order
//!   (one transition, 63 finding it done), p50 and p99 over 20 rounds.
//!
//! Postgres is measured when `PORTONE_LEDGER_POSTGRES_URL` names a server
//! (`bash scripts/postgres.sh start DIR`); a database of its own is created.
//!
//! `cargo bench -p portone-pg-benches --bench ledger`, then
//! `python3 benches/summarize.py` prints the ratio.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use portone_pg::client::Client;
use portone_pg::rest::{ApiResponse, Payment};
use portone_pg_ledger::store::{PostgresStore, SqliteStore, Store};
use portone_pg_ledger::{Door, Ledger, OrderState};
use sqlx::Row;

/// A paid payment object of `merchant_uid`, as `GET /payments/{imp_uid}`
/// returns it.
fn payment(merchant_uid: &str, n: usize) -> Payment {
    let body = format!(
        r#"{{"code":0,"message":null,"response":{{"imp_uid":"imp_{n:012}","merchant_uid":"{merchant_uid}","amount":1004,"currency":"KRW","status":"paid","pay_method":"card","pg_provider":"kcp","paid_at":1700000000,"cancel_amount":0,"cancel_history":[]}}}}"#
    );
    ApiResponse::<Payment>::from_json(body.as_bytes())
        .unwrap()
        .into_result()
        .unwrap()
}

/// A store's database, as the hand-written baseline uses it.
trait Database: Store + Clone {
    /// Stores a pending order the way `open` does (without PortOne's
    /// registration).
    async fn insert_pending(&self, merchant_uid: &str);
    /// The ledger's statements for pending → paid, written by hand.
    async fn hand_written(&self, payment: &Payment) -> bool;
    /// Another store (its own pool) on the same database.
    async fn another(&self) -> Self;
}

/// Writes `Database` for a store: the same SQL for both, `$begin` and
/// `$lock` being what differs (as in the ledger).
macro_rules! database {
    ($store:ty, $begin:ident ( $($arg:expr)? ), $lock:literal) => {
        impl Database for $store {
            async fn insert_pending(&self, merchant_uid: &str) {
                sqlx::query("INSERT INTO portone_orders (merchant_uid, reference, amount, currency, allow_sandbox, state, imp_uid, cancelled_amount, attention, vbank_due, opened_at, checked_at, version) VALUES ($1, NULL, '1004', 'KRW', 0, 'pending', NULL, '0', NULL, NULL, 0, NULL, 0)")
                    .bind(merchant_uid)
                    .execute(self.pool())
                    .await
                    .unwrap();
            }

            async fn hand_written(&self, payment: &Payment) -> bool {
                let m = payment.merchant_uid.as_str();
                let mut tx = self.pool().$begin($($arg)?).await.unwrap();
                let row = sqlx::query(concat!("SELECT merchant_uid, reference, amount, currency, allow_sandbox, state, imp_uid, cancelled_amount, attention, vbank_due, opened_at, checked_at, version FROM portone_orders WHERE merchant_uid = $1", $lock))
                    .bind(m)
                    .fetch_one(&mut *tx)
                    .await
                    .unwrap();
                let state: String = row.get(5);
                let version: i64 = row.get(12);
                let amount: String = row.get(2);
                let _history = sqlx::query("SELECT from_state, to_state, door, imp_uid, at FROM portone_transitions WHERE merchant_uid = $1 ORDER BY version, step")
                    .bind(m)
                    .fetch_all(&mut *tx)
                    .await
                    .unwrap();
                let _cancellations = sqlx::query("SELECT cancellation_id FROM portone_cancellations WHERE merchant_uid = $1")
                    .bind(m)
                    .fetch_all(&mut *tx)
                    .await
                    .unwrap();
                if state != "pending" || amount != payment.amount.to_string() {
                    return false;
                }
                let now = 1_700_000_000_000_000i64;
                let updated = sqlx::query("UPDATE portone_orders SET state = $1, imp_uid = $2, cancelled_amount = $3, attention = $4, vbank_due = $5, checked_at = $6, version = version + 1 WHERE merchant_uid = $7 AND version = $8 AND state = $9")
                    .bind("paid")
                    .bind(payment.imp_uid.as_str())
                    .bind("0")
                    .bind(None::<String>)
                    .bind(None::<i64>)
                    .bind(now)
                    .bind(m)
                    .bind(version)
                    .bind("pending")
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                if updated.rows_affected() != 1 {
                    return false;
                }
                sqlx::query("INSERT INTO portone_transitions (merchant_uid, version, step, from_state, to_state, door, imp_uid, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(m)
                    .bind(version + 1)
                    .bind(0i64)
                    .bind("pending")
                    .bind("paid")
                    .bind("api")
                    .bind(payment.imp_uid.as_str())
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                sqlx::query("INSERT INTO portone_jobs (job_key, merchant_uid, kind, detail, created_at, lease_until, attempts, done_at) VALUES ($1, $2, $3, $4, $5, NULL, 0, NULL) ON CONFLICT (job_key) DO NOTHING")
                    .bind(format!("{m}/fulfil"))
                    .bind(m)
                    .bind("fulfil")
                    .bind(None::<String>)
                    .bind(now)
                    .execute(&mut *tx)
                    .await
                    .unwrap();
                tx.commit().await.unwrap();
                true
            }

            async fn another(&self) -> Self {
                Self::from_pool(
                    sqlx::pool::PoolOptions::new()
                        .max_connections(8)
                        .connect_with(self.pool().connect_options().as_ref().clone())
                        .await
                        .unwrap(),
                )
                .await
                .unwrap()
            }
        }
    };
}

database!(SqliteStore, begin_with("BEGIN IMMEDIATE"), "");
database!(PostgresStore, begin(), " FOR UPDATE");

struct Bench<S> {
    name: &'static str,
    ledger: Ledger<S>,
    serial: Arc<AtomicUsize>,
}

impl<S: Database> Bench<S> {
    fn new(name: &'static str, store: S) -> Self {
        // Never called: `apply` takes objects already fetched.
        let client = Client::builder("k", "s")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        Bench {
            name,
            ledger: Ledger::new(client, store),
            serial: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// A pending order and its paid payment.
    async fn pending(&self) -> Payment {
        let n = self.serial.fetch_add(1, Ordering::Relaxed);
        let merchant_uid = format!("order-{n}");
        self.ledger.store().insert_pending(&merchant_uid).await;
        payment(&merchant_uid, n)
    }
}

fn settle<S: Database>(c: &mut Criterion, runtime: &tokio::runtime::Runtime, bench: &Bench<S>) {
    let mut group = c.benchmark_group(format!("settle_{}", bench.name));
    group.bench_function("ledger", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let payment = bench.pending().await;
                    let start = Instant::now();
                    let settled = bench.ledger.apply(&payment, Door::Api).await.unwrap();
                    spent += start.elapsed();
                    assert_eq!(settled.state(), OrderState::Paid);
                }
                spent
            })
        })
    });
    group.bench_function("hand_written_sqlx", |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let mut spent = Duration::ZERO;
                for _ in 0..iters {
                    let payment = bench.pending().await;
                    let start = Instant::now();
                    assert!(bench.ledger.store().hand_written(&payment).await);
                    spent += start.elapsed();
                }
                spent
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group(format!("throughput_{}", bench.name));
    group.throughput(Throughput::Elements(64));
    group.sample_size(20);
    for pools in [1usize, 2, 4] {
        let ledgers: Vec<Ledger<S>> = runtime.block_on(async {
            let mut ledgers = vec![bench.ledger.clone()];
            while ledgers.len() < pools {
                let store = bench.ledger.store().another().await;
                ledgers.push(Ledger::new(bench.ledger.client().clone(), store));
            }
            ledgers
        });
        group.bench_function(format!("{pools}_pools"), |b| {
            b.iter_custom(|iters| {
                runtime.block_on(async {
                    let mut spent = Duration::ZERO;
                    for _ in 0..iters {
                        let mut payments = Vec::new();
                        for _ in 0..64 {
                            payments.push(bench.pending().await);
                        }
                        let start = Instant::now();
                        let tasks: Vec<_> = payments
                            .into_iter()
                            .enumerate()
                            .map(|(n, payment)| {
                                let ledger = ledgers[n % pools].clone();
                                tokio::spawn(async move {
                                    ledger.apply(&payment, Door::Api).await.unwrap()
                                })
                            })
                            .collect();
                        for task in tasks {
                            task.await.unwrap();
                        }
                        spent += start.elapsed();
                    }
                    spent
                })
            })
        });
    }
    group.finish();
    contention(runtime, bench);
}

/// 64 concurrent settles of one order, 20 rounds: per-call latency.
fn contention<S: Database>(runtime: &tokio::runtime::Runtime, bench: &Bench<S>) {
    let latencies = runtime.block_on(async {
        let mut latencies = Vec::new();
        for _ in 0..20 {
            let payment = Arc::new(bench.pending().await);
            let barrier = Arc::new(tokio::sync::Barrier::new(64));
            let tasks: Vec<_> = (0..64)
                .map(|_| {
                    let (ledger, payment, barrier) = (
                        bench.ledger.clone(),
                        Arc::clone(&payment),
                        Arc::clone(&barrier),
                    );
                    tokio::spawn(async move {
                        barrier.wait().await;
                        let start = Instant::now();
                        let settled = ledger.apply(&payment, Door::Webhook).await.unwrap();
                        (start.elapsed(), settled.is_first())
                    })
                })
                .collect();
            let mut first = 0;
            for task in tasks {
                let (latency, is_first) = task.await.unwrap();
                latencies.push(latency);
                first += usize::from(is_first);
            }
            assert_eq!(first, 1);
        }
        latencies
    });
    let mut sorted = latencies;
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() as f64 - 1.0) * q).round() as usize];
    let report = format!(
        "{}: 64-way contention on one order: p50 {:.2} ms, p99 {:.2} ms over {} settles\n",
        bench.name,
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        sorted.len()
    );
    print!("{report}");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!(
        "../target/criterion/ledger-contention-{}.txt",
        bench.name
    ));
    let _ = std::fs::create_dir_all(path.parent().unwrap());
    let _ = std::fs::write(path, report);
}

fn stores(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let sqlite = runtime.block_on(SqliteStore::connect(&url)).unwrap();
    settle(c, &runtime, &Bench::new("sqlite", sqlite));
    match std::env::var("PORTONE_LEDGER_POSTGRES_URL") {
        Ok(admin) => {
            let url = runtime.block_on(async {
                use sqlx::Connection;
                let name = format!("ledger_bench_{}", std::process::id());
                let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(&mut conn)
                    .await
                    .unwrap();
                format!("{}/{name}", admin.rsplit_once('/').unwrap().0)
            });
            let postgres = runtime.block_on(PostgresStore::connect(&url)).unwrap();
            settle(c, &runtime, &Bench::new("postgres", postgres));
        }
        Err(_) => println!("postgres: not measured (PORTONE_LEDGER_POSTGRES_URL is not set)"),
    }
}

criterion_group!(benches, stores);
criterion_main!(benches);
