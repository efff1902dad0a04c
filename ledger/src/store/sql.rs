//! The SQL stores. One set of SQL (here and in `sql/`) for SQLite and
//! Postgres; [`Dialect`] holds everything that differs, and one macro
//! writes the Rust for both from the same text.

use std::collections::HashSet;
use std::str::FromStr;

use portone_pg::{Amount, Currency};

use super::{Change, Delivery, RefundClaim, Snapshot};
use crate::Error;
use crate::job::{ClaimedJob, JobKind};
use crate::order::{Door, Micros, Order, OrderState, Transition};

/// What differs between the two databases.
struct Dialect {
    /// How a writing transaction starts. SQLite's `BEGIN IMMEDIATE` takes
    /// the write lock at once, so two writers never both read and then
    /// deadlock upgrading to write.
    begin: &'static str,
    /// Appended to the order's read in a transaction: Postgres locks the
    /// row (SQLite's transaction already holds the write lock).
    lock_row: &'static str,
    /// Appended to the job claim's read: on Postgres, workers skip the jobs
    /// others are claiming instead of queueing behind them.
    skip_locked: &'static str,
    /// Run first in the migration's transaction: on Postgres a lock so that
    /// instances starting together do not create the tables twice.
    migration_lock: Option<&'static str>,
}

#[cfg(feature = "sqlite")]
const SQLITE: Dialect = Dialect {
    begin: "BEGIN IMMEDIATE",
    lock_row: "",
    skip_locked: "",
    migration_lock: None,
};

#[cfg(feature = "postgres")]
const POSTGRES: Dialect = Dialect {
    begin: "BEGIN",
    lock_row: " FOR UPDATE",
    skip_locked: " FOR UPDATE SKIP LOCKED",
    // An arbitrary key of this package's.
    migration_lock: Some("SELECT pg_advisory_xact_lock(7213946001)"),
};

/// The schema versions, in order: (version, SQL).
const MIGRATIONS: &[(i64, &str)] = &[(1, include_str!("../../sql/0001_ledger.sql"))];

/// The statements of a migration file: comments dropped, split at `;`.
fn statements(sql: &str) -> impl Iterator<Item = String> + '_ {
    let text: String = sql
        .lines()
        .filter(|line| !line.trim_start().starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    text.split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect::<Vec<_>>()
        .into_iter()
}

const ORDER_COLUMNS: &str = "merchant_uid, reference, amount, currency, allow_sandbox, state, imp_uid, cancelled_amount, attention, vbank_due, opened_at, checked_at, version";

fn select_order(suffix: &str) -> String {
    format!("SELECT {ORDER_COLUMNS} FROM portone_orders WHERE merchant_uid = $1{suffix}")
}

const INSERT_ORDER: &str = "INSERT INTO portone_orders (merchant_uid, reference, amount, currency, allow_sandbox, state, imp_uid, cancelled_amount, attention, vbank_due, opened_at, checked_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT (merchant_uid) DO NOTHING";
const SELECT_HISTORY: &str = "SELECT from_state, to_state, door, imp_uid, at FROM portone_transitions WHERE merchant_uid = $1 ORDER BY version, step";
const SELECT_CANCELLATIONS: &str =
    "SELECT cancellation_id FROM portone_cancellations WHERE merchant_uid = $1";
const UPDATE_ORDER: &str = "UPDATE portone_orders SET state = $1, imp_uid = $2, cancelled_amount = $3, attention = $4, vbank_due = $5, checked_at = $6, version = version + 1 WHERE merchant_uid = $7 AND version = $8 AND state = $9";
const INSERT_TRANSITION: &str = "INSERT INTO portone_transitions (merchant_uid, version, step, from_state, to_state, door, imp_uid, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
const INSERT_CANCELLATION: &str = "INSERT INTO portone_cancellations (cancellation_id, merchant_uid, imp_uid, amount, recorded_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (cancellation_id) DO NOTHING";
const INSERT_JOB: &str = "INSERT INTO portone_jobs (job_key, merchant_uid, kind, detail, created_at, lease_until, attempts, done_at) VALUES ($1, $2, $3, $4, $5, NULL, 0, NULL) ON CONFLICT (job_key) DO NOTHING";
const INSERT_REFERENCE: &str = "INSERT INTO portone_references (reference, merchant_uid) VALUES ($1, $2) ON CONFLICT (reference) DO NOTHING";
const SELECT_REFERENCE: &str = "SELECT merchant_uid FROM portone_references WHERE reference = $1";
const SELECT_DUE: &str = "SELECT merchant_uid FROM portone_orders WHERE state IN ('pending', 'awaiting_deposit') AND COALESCE(checked_at, opened_at) < $1 ORDER BY COALESCE(checked_at, opened_at), merchant_uid LIMIT $2";
const MARK_CHECKED: &str = "UPDATE portone_orders SET checked_at = $1 WHERE merchant_uid = $2";
const SELECT_JOB: &str = "SELECT job_key FROM portone_jobs WHERE done_at IS NULL AND (lease_until IS NULL OR lease_until < $1) ORDER BY created_at, job_key LIMIT 1";
const LEASE_JOB: &str = "UPDATE portone_jobs SET lease_until = $1, attempts = attempts + 1 WHERE job_key = $2 RETURNING merchant_uid, kind, detail, attempts";
const FINISH_JOB: &str = "UPDATE portone_jobs SET done_at = $1 WHERE job_key = $2 AND lease_until = $3 AND done_at IS NULL";
const INSERT_REFUND: &str = "INSERT INTO portone_refund_keys (refund_key, merchant_uid, checksum, lease_until, done) VALUES ($1, $2, $3, $4, 0) ON CONFLICT (refund_key) DO NOTHING";
const SELECT_REFUND: &str =
    "SELECT checksum, lease_until, done FROM portone_refund_keys WHERE refund_key = $1";
const TAKE_REFUND: &str = "UPDATE portone_refund_keys SET lease_until = $1 WHERE refund_key = $2 AND done = 0 AND lease_until < $3";
const FINISH_REFUND: &str = "UPDATE portone_refund_keys SET done = 1 WHERE refund_key = $1";
const RELEASE_REFUND: &str = "DELETE FROM portone_refund_keys WHERE refund_key = $1 AND done = 0";
const INSERT_DELIVERY: &str = "INSERT INTO portone_deliveries (received_at, source, body, imp_uid, result) VALUES ($1, $2, $3, $4, $5)";

fn corrupt(what: &str) -> Error {
    Error::new(
        crate::ErrorKind::Store,
        format!("the store holds an unreadable {what}"),
    )
}

fn amount(text: &str) -> Result<Amount, Error> {
    Amount::from_str(text).map_err(|_| corrupt("amount"))
}

fn state(text: &str) -> Result<OrderState, Error> {
    OrderState::parse(text).ok_or_else(|| corrupt("state"))
}

/// Reads one of `select_order`'s rows.
#[allow(clippy::too_many_arguments)]
fn order_from(
    merchant_uid: String,
    reference: Option<String>,
    order_amount: String,
    currency: String,
    allow_sandbox: i64,
    order_state: String,
    imp_uid: Option<String>,
    cancelled_amount: String,
    attention: Option<String>,
    vbank_due: Option<i64>,
    opened_at: i64,
    checked_at: Option<i64>,
    version: i64,
) -> Result<Order, Error> {
    Ok(Order {
        merchant_uid,
        reference,
        amount: amount(&order_amount)?,
        currency: Currency::from_code(&currency),
        allow_sandbox: allow_sandbox != 0,
        state: state(&order_state)?,
        imp_uid,
        cancelled_amount: amount(&cancelled_amount)?,
        attention,
        vbank_due: vbank_due.map(Micros),
        opened_at: Micros(opened_at),
        checked_at: checked_at.map(Micros),
        version,
        history: Vec::new(),
    })
}

fn transition_from(
    from: String,
    to: String,
    door: String,
    imp_uid: Option<String>,
    at: i64,
) -> Result<Transition, Error> {
    Ok(Transition {
        from: state(&from)?,
        to: state(&to)?,
        door: Door::parse(&door).ok_or_else(|| corrupt("door"))?,
        imp_uid,
        at: Micros(at),
    })
}

/// Writes a SQL store for one database from the shared SQL above.
macro_rules! sql_store {
    (
        $(#[$meta:meta])*
        store: $store:ident,
        tx: $tx:ident,
        feature: $feature:literal,
        db: $db:ty,
        pool: $pool:ty,
        connection: $conn:ty,
        dialect: $dialect:expr,
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug)]
        pub struct $store {
            pool: $pool,
        }

        impl $store {
            /// A store on an existing pool; creates or upgrades its tables.
            pub async fn from_pool(pool: $pool) -> Result<Self, Error> {
                let store = $store { pool };
                store.migrate().await?;
                Ok(store)
            }

            /// The pool, for the application's own queries and
            /// transactions (see [`Ledger::apply_in`](crate::Ledger::apply_in)).
            pub fn pool(&self) -> &$pool {
                &self.pool
            }

            /// Creates the tables, or upgrades them, in one transaction,
            /// recording the schema version in `portone_ledger_version`.
            /// The SQL is shipped in the package's `sql/` folder for teams
            /// that run their own migrations.
            async fn migrate(&self) -> Result<(), Error> {
                use sqlx::Row;
                let dialect = &$dialect;
                let mut tx = self.pool.begin_with(dialect.begin).await.map_err(Error::store)?;
                if let Some(lock) = dialect.migration_lock {
                    sqlx::query(lock).execute(&mut *tx).await.map_err(Error::store)?;
                }
                sqlx::query("CREATE TABLE IF NOT EXISTS portone_ledger_version (version BIGINT NOT NULL)")
                    .execute(&mut *tx)
                    .await
                    .map_err(Error::store)?;
                let row = sqlx::query("SELECT MAX(version) FROM portone_ledger_version")
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(Error::store)?;
                let current: Option<i64> = row.try_get(0).map_err(Error::store)?;
                for (version, sql) in MIGRATIONS {
                    if current.is_some_and(|current| current >= *version) {
                        continue;
                    }
                    for statement in statements(sql) {
                        sqlx::query(&statement)
                            .execute(&mut *tx)
                            .await
                            .map_err(Error::store)?;
                    }
                    sqlx::query("INSERT INTO portone_ledger_version (version) VALUES ($1)")
                        .bind(*version)
                        .execute(&mut *tx)
                        .await
                        .map_err(Error::store)?;
                }
                tx.commit().await.map_err(Error::store)
            }

            /// A transaction of the application's, as a ledger transaction.
            pub(crate) fn within(conn: &mut $conn) -> $tx<'_> {
                $tx { conn: TxConn::Borrowed(conn) }
            }
        }

        /// A ledger transaction: its own, or one of the application's.
        #[doc(hidden)]
        pub struct $tx<'a> {
            conn: TxConn<'a, $db>,
        }

        impl $tx<'_> {
            fn conn(&mut self) -> &mut $conn {
                match &mut self.conn {
                    TxConn::Owned(tx) => &mut **tx,
                    TxConn::Borrowed(conn) => conn,
                }
            }
        }

        impl crate::store::Tx for $tx<'_> {
            async fn load(&mut self, merchant_uid: &str) -> Result<Option<Snapshot>, Error> {
                use sqlx::Row;
                let dialect = &$dialect;
                let conn = self.conn();
                let Some(row) = sqlx::query(&select_order(dialect.lock_row))
                    .bind(merchant_uid)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(Error::store)?
                else {
                    return Ok(None);
                };
                let mut order = read_order(&row)?;
                order.history = read_history(&mut *conn, merchant_uid).await?;
                let cancellations = sqlx::query(SELECT_CANCELLATIONS)
                    .bind(merchant_uid)
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(Error::store)?
                    .iter()
                    .map(|row| row.try_get::<String, _>(0))
                    .collect::<Result<HashSet<_>, _>>()
                    .map_err(Error::store)?;
                Ok(Some(Snapshot { order, cancellations }))
            }

            async fn claim_reference(&mut self, reference: &str, merchant_uid: &str) -> Result<String, Error> {
                use sqlx::Row;
                let conn = self.conn();
                sqlx::query(INSERT_REFERENCE)
                    .bind(reference)
                    .bind(merchant_uid)
                    .execute(&mut *conn)
                    .await
                    .map_err(Error::store)?;
                let row = sqlx::query(SELECT_REFERENCE)
                    .bind(reference)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(Error::store)?;
                row.try_get(0).map_err(Error::store)
            }

            async fn save(&mut self, change: &Change) -> Result<bool, Error> {
                let conn = self.conn();
                let updated = sqlx::query(UPDATE_ORDER)
                    .bind(change.state.as_str())
                    .bind(change.imp_uid.as_deref())
                    .bind(change.cancelled_amount.to_string())
                    .bind(change.attention.as_deref())
                    .bind(change.vbank_due.map(|due| due.0))
                    .bind(change.checked_at.0)
                    .bind(&change.merchant_uid)
                    .bind(change.version)
                    .bind(change.state_before.as_str())
                    .execute(&mut *conn)
                    .await
                    .map_err(Error::store)?;
                if updated.rows_affected() != 1 {
                    return Ok(false);
                }
                for (step, transition) in change.transitions.iter().enumerate() {
                    sqlx::query(INSERT_TRANSITION)
                        .bind(&change.merchant_uid)
                        .bind(change.version + 1)
                        .bind(step as i64)
                        .bind(transition.from.as_str())
                        .bind(transition.to.as_str())
                        .bind(transition.door.as_str())
                        .bind(transition.imp_uid.as_deref())
                        .bind(transition.at.0)
                        .execute(&mut *conn)
                        .await
                        .map_err(Error::store)?;
                }
                for cancellation in &change.cancellations {
                    sqlx::query(INSERT_CANCELLATION)
                        .bind(&cancellation.cancellation_id)
                        .bind(&change.merchant_uid)
                        .bind(&cancellation.imp_uid)
                        .bind(cancellation.amount.to_string())
                        .bind(change.checked_at.0)
                        .execute(&mut *conn)
                        .await
                        .map_err(Error::store)?;
                }
                for (n, job) in change.jobs.iter().enumerate() {
                    let (kind, detail) = job.kind.encode();
                    sqlx::query(INSERT_JOB)
                        .bind(job.kind.key(&job.merchant_uid))
                        .bind(&job.merchant_uid)
                        .bind(kind)
                        .bind(detail)
                        // Jobs of one change keep their order.
                        .bind(change.checked_at.0 + n as i64)
                        .execute(&mut *conn)
                        .await
                        .map_err(Error::store)?;
                }
                Ok(true)
            }

            async fn commit(self) -> Result<(), Error> {
                match self.conn {
                    TxConn::Owned(tx) => tx.commit().await.map_err(Error::store),
                    // The application commits its own transaction.
                    TxConn::Borrowed(_) => Ok(()),
                }
            }
        }

        async fn read_history(conn: &mut $conn, merchant_uid: &str) -> Result<Vec<Transition>, Error> {
            use sqlx::Row;
            sqlx::query(SELECT_HISTORY)
                .bind(merchant_uid)
                .fetch_all(&mut *conn)
                .await
                .map_err(Error::store)?
                .iter()
                .map(|row| {
                    let get = |e: sqlx::Error| Error::store(e);
                    transition_from(
                        row.try_get(0).map_err(get)?,
                        row.try_get(1).map_err(get)?,
                        row.try_get(2).map_err(get)?,
                        row.try_get(3).map_err(get)?,
                        row.try_get(4).map_err(get)?,
                    )
                })
                .collect()
        }

        fn read_order(row: &<$db as sqlx::Database>::Row) -> Result<Order, Error> {
            use sqlx::Row;
            let get = |e: sqlx::Error| Error::store(e);
            order_from(
                row.try_get(0).map_err(get)?,
                row.try_get(1).map_err(get)?,
                row.try_get(2).map_err(get)?,
                row.try_get(3).map_err(get)?,
                row.try_get(4).map_err(get)?,
                row.try_get(5).map_err(get)?,
                row.try_get(6).map_err(get)?,
                row.try_get(7).map_err(get)?,
                row.try_get(8).map_err(get)?,
                row.try_get(9).map_err(get)?,
                row.try_get(10).map_err(get)?,
                row.try_get(11).map_err(get)?,
                row.try_get(12).map_err(get)?,
            )
        }

        impl crate::store::Backend for $store {
            type Tx<'a> = $tx<'static>;

            async fn begin(&self) -> Result<$tx<'static>, Error> {
                let tx = self.pool.begin_with($dialect.begin).await.map_err(Error::store)?;
                Ok($tx { conn: TxConn::Owned(tx) })
            }

            async fn insert_order(&self, order: &Order) -> Result<Option<Order>, Error> {
                let inserted = sqlx::query(INSERT_ORDER)
                    .bind(&order.merchant_uid)
                    .bind(order.reference.as_deref())
                    .bind(order.amount.to_string())
                    .bind(order.currency.as_str())
                    .bind(i64::from(order.allow_sandbox))
                    .bind(order.state.as_str())
                    .bind(order.imp_uid.as_deref())
                    .bind(order.cancelled_amount.to_string())
                    .bind(order.attention.as_deref())
                    .bind(order.vbank_due.map(|due| due.0))
                    .bind(order.opened_at.0)
                    .bind(order.checked_at.map(|at| at.0))
                    .bind(order.version)
                    .execute(&self.pool)
                    .await
                    .map_err(Error::store)?;
                if inserted.rows_affected() == 1 {
                    return Ok(None);
                }
                self.order(&order.merchant_uid).await
            }

            async fn order(&self, merchant_uid: &str) -> Result<Option<Order>, Error> {
                let mut conn = self.pool.acquire().await.map_err(Error::store)?;
                let Some(row) = sqlx::query(&select_order(""))
                    .bind(merchant_uid)
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(Error::store)?
                else {
                    return Ok(None);
                };
                let mut order = read_order(&row)?;
                order.history = read_history(&mut conn, merchant_uid).await?;
                Ok(Some(order))
            }

            async fn due(&self, cutoff: Micros, limit: i64) -> Result<Vec<String>, Error> {
                use sqlx::Row;
                sqlx::query(SELECT_DUE)
                    .bind(cutoff.0)
                    .bind(limit)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(Error::store)?
                    .iter()
                    .map(|row| row.try_get(0).map_err(Error::store))
                    .collect()
            }

            async fn mark_checked(&self, merchant_uid: &str, at: Micros) -> Result<(), Error> {
                sqlx::query(MARK_CHECKED)
                    .bind(at.0)
                    .bind(merchant_uid)
                    .execute(&self.pool)
                    .await
                    .map_err(Error::store)?;
                Ok(())
            }

            async fn claim_job(&self, now: Micros, until: Micros) -> Result<Option<ClaimedJob>, Error> {
                use sqlx::Row;
                let dialect = &$dialect;
                let mut tx = self.pool.begin_with(dialect.begin).await.map_err(Error::store)?;
                let select = format!("{SELECT_JOB}{}", dialect.skip_locked);
                let Some(row) = sqlx::query(&select)
                    .bind(now.0)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(Error::store)?
                else {
                    return Ok(None);
                };
                let key: String = row.try_get(0).map_err(Error::store)?;
                let row = sqlx::query(LEASE_JOB)
                    .bind(until.0)
                    .bind(&key)
                    .fetch_one(&mut *tx)
                    .await
                    .map_err(Error::store)?;
                let merchant_uid: String = row.try_get(0).map_err(Error::store)?;
                let kind: String = row.try_get(1).map_err(Error::store)?;
                let detail: Option<String> = row.try_get(2).map_err(Error::store)?;
                let attempts: i64 = row.try_get(3).map_err(Error::store)?;
                tx.commit().await.map_err(Error::store)?;
                let kind = JobKind::decode(&kind, detail).ok_or_else(|| corrupt("job kind"))?;
                Ok(Some(ClaimedJob { key, merchant_uid, kind, lease: until, attempts }))
            }

            async fn finish_job(&self, key: &str, lease: Micros, now: Micros) -> Result<bool, Error> {
                let done = sqlx::query(FINISH_JOB)
                    .bind(now.0)
                    .bind(key)
                    .bind(lease.0)
                    .execute(&self.pool)
                    .await
                    .map_err(Error::store)?;
                Ok(done.rows_affected() == 1)
            }

            async fn claim_refund(
                &self,
                key: &str,
                merchant_uid: &str,
                checksum: Amount,
                now: Micros,
                until: Micros,
            ) -> Result<RefundClaim, Error> {
                use sqlx::Row;
                let inserted = sqlx::query(INSERT_REFUND)
                    .bind(key)
                    .bind(merchant_uid)
                    .bind(checksum.to_string())
                    .bind(until.0)
                    .execute(&self.pool)
                    .await
                    .map_err(Error::store)?;
                if inserted.rows_affected() == 1 {
                    return Ok(RefundClaim::Acquired { checksum });
                }
                let Some(row) = sqlx::query(SELECT_REFUND)
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(Error::store)?
                else {
                    // Released meanwhile: the caller asks again.
                    return Ok(RefundClaim::Busy);
                };
                let stored: String = row.try_get(0).map_err(Error::store)?;
                let lease: i64 = row.try_get(1).map_err(Error::store)?;
                let done: i64 = row.try_get(2).map_err(Error::store)?;
                if done != 0 {
                    return Ok(RefundClaim::Done);
                }
                if lease >= now.0 {
                    return Ok(RefundClaim::Busy);
                }
                let taken = sqlx::query(TAKE_REFUND)
                    .bind(until.0)
                    .bind(key)
                    .bind(now.0)
                    .execute(&self.pool)
                    .await
                    .map_err(Error::store)?;
                match taken.rows_affected() {
                    1 => Ok(RefundClaim::Acquired { checksum: amount(&stored)? }),
                    _ => Ok(RefundClaim::Busy),
                }
            }

            async fn refund_done(&self, key: &str) -> Result<bool, Error> {
                use sqlx::Row;
                let row = sqlx::query(SELECT_REFUND)
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(Error::store)?;
                match row {
                    Some(row) => Ok(row.try_get::<i64, _>(2).map_err(Error::store)? != 0),
                    None => Ok(false),
                }
            }

            async fn end_refund(&self, key: &str, done: bool) -> Result<(), Error> {
                sqlx::query(if done { FINISH_REFUND } else { RELEASE_REFUND })
                    .bind(key)
                    .execute(&self.pool)
                    .await
                    .map_err(Error::store)?;
                Ok(())
            }

            async fn record_delivery(&self, delivery: &Delivery) -> Result<(), Error> {
                sqlx::query(INSERT_DELIVERY)
                    .bind(delivery.received_at.0)
                    .bind(delivery.source.as_deref())
                    .bind(&delivery.body)
                    .bind(delivery.imp_uid.as_deref())
                    .bind(&delivery.result)
                    .execute(&self.pool)
                    .await
                    .map_err(Error::store)?;
                Ok(())
            }
        }
    };
}

/// A transaction's connection: the ledger's own transaction, or a
/// connection inside the application's.
enum TxConn<'a, DB: sqlx::Database> {
    Owned(sqlx::Transaction<'static, DB>),
    Borrowed(&'a mut DB::Connection),
}

#[cfg(feature = "sqlite")]
mod sqlite {
    use super::*;

    sql_store! {
        /// Orders in a SQLite file: one host, any number of processes.
        ///
        /// Opened in WAL mode (readers never wait for the writer) with a
        /// busy timeout, every write in `BEGIN IMMEDIATE`: under contention
        /// calls wait their turn instead of failing with "database is
        /// locked", also across pools and processes on the same file
        /// ([sqlite.org/wal.html](https://sqlite.org/wal.html)). WAL needs
        /// the processes on one host; past one machine, use Postgres.
        store: SqliteStore,
        tx: SqliteTx,
        feature: "sqlite",
        db: sqlx::Sqlite,
        pool: sqlx::SqlitePool,
        connection: sqlx::SqliteConnection,
        dialect: SQLITE,
    }

    impl SqliteStore {
        /// Opens (with `?mode=rwc`, creates) the database at `url`
        /// (`sqlite://shop.db?mode=rwc`), in WAL mode with a 30 s busy
        /// timeout, and creates or upgrades its tables.
        pub async fn connect(url: &str) -> Result<Self, Error> {
            use sqlx::sqlite::{
                SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
            };
            let options = SqliteConnectOptions::from_str(url)
                .map_err(Error::store)?
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(std::time::Duration::from_secs(30));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .map_err(Error::store)?;
            Self::from_pool(pool).await
        }
    }
}

#[cfg(feature = "sqlite")]
pub use sqlite::SqliteStore;

#[cfg(feature = "postgres")]
mod postgres {
    use super::*;

    sql_store! {
        /// Orders in Postgres: any number of server instances on one
        /// database. Transitions lock the order's row (`FOR UPDATE`) in
        /// READ COMMITTED; workers claim jobs with `FOR UPDATE SKIP LOCKED`.
        store: PostgresStore,
        tx: PostgresTx,
        feature: "postgres",
        db: sqlx::Postgres,
        pool: sqlx::PgPool,
        connection: sqlx::PgConnection,
        dialect: POSTGRES,
    }

    impl PostgresStore {
        /// Connects to `url` (`postgres://user@host/db`) with the default
        /// [`PostgresOptions`] and creates or upgrades its tables.
        pub async fn connect(url: &str) -> Result<Self, Error> {
            Self::connect_with(url, PostgresOptions::default()).await
        }

        /// Connects with `options`: a schema of the ledger's own, the pool's
        /// size, a statement timeout. Instances starting at once against an
        /// empty database create the schema and the tables once: each takes
        /// an advisory lock around it.
        pub async fn connect_with(url: &str, options: PostgresOptions) -> Result<Self, Error> {
            use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
            let mut connect = PgConnectOptions::from_str(url).map_err(Error::store)?;
            let mut settings = Vec::new();
            if let Some(schema) = &options.schema {
                settings.push(("search_path", schema.clone()));
            }
            if let Some(timeout) = options.statement_timeout {
                settings.push(("statement_timeout", format!("{}ms", timeout.as_millis())));
            }
            if !settings.is_empty() {
                connect = connect.options(settings);
            }
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections)
                .connect_with(connect)
                .await
                .map_err(Error::store)?;
            if let Some(schema) = &options.schema {
                let mut tx = pool.begin().await.map_err(Error::store)?;
                if let Some(lock) = POSTGRES.migration_lock {
                    sqlx::query(lock)
                        .execute(&mut *tx)
                        .await
                        .map_err(Error::store)?;
                }
                sqlx::query(&format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))
                    .execute(&mut *tx)
                    .await
                    .map_err(Error::store)?;
                tx.commit().await.map_err(Error::store)?;
            }
            Self::from_pool(pool).await
        }
    }

    /// How [`PostgresStore::connect_with`] connects.
    #[derive(Clone, Debug)]
    pub struct PostgresOptions {
        schema: Option<String>,
        max_connections: u32,
        statement_timeout: Option<std::time::Duration>,
    }

    impl Default for PostgresOptions {
        fn default() -> Self {
            PostgresOptions {
                schema: None,
                max_connections: 8,
                statement_timeout: Some(std::time::Duration::from_secs(30)),
            }
        }
    }

    impl PostgresOptions {
        /// The ledger's tables in this schema (created if missing) instead
        /// of the connection's default. Letters, digits and `_` only; an
        /// unusable name is an error at connect.
        pub fn schema(mut self, schema: impl Into<String>) -> Result<Self, Error> {
            let schema = schema.into();
            let usable = !schema.is_empty()
                && schema.len() <= 63
                && schema
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !schema.as_bytes()[0].is_ascii_digit();
            if !usable {
                return Err(Error::new(
                    crate::ErrorKind::Store,
                    format!("{schema:?} is not a plain schema name (letters, digits, _)"),
                ));
            }
            self.schema = Some(schema);
            Ok(self)
        }

        /// The pool's size (default 8).
        pub fn max_connections(mut self, max: u32) -> Self {
            self.max_connections = max;
            self
        }

        /// Statements running longer are cancelled by the server (default
        /// 30 s; `None`: the server's setting).
        pub fn statement_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
            self.statement_timeout = timeout;
            self
        }
    }
}

#[cfg(feature = "postgres")]
pub use postgres::{PostgresOptions, PostgresStore};
