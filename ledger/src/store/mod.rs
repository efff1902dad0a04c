//! Where the ledger keeps orders: [`MemoryStore`] for examples and tests,
//! [`SqliteStore`] (feature `sqlite`, the default) for one host,
//! `PostgresStore` (feature `postgres`) for several.
//!
//! The ledger decides every change itself; a store only reads an order
//! under a lock, writes a change (the order, its transitions, cancellations
//! and jobs) in one transaction, and serves the job queue. The two SQL
//! stores run the same SQL (`sql/`), their differences in one place.

mod memory;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql;

use std::collections::HashSet;
use std::future::Future;

use portone_pg::Amount;

use crate::Error;
use crate::job::{ClaimedJob, NewJob};
use crate::order::{Micros, Order, OrderState, Transition};

pub use memory::MemoryStore;
#[cfg(feature = "sqlite")]
pub use sql::SqliteStore;
#[cfg(feature = "postgres")]
pub use sql::{PostgresOptions, PostgresStore};

/// A place the ledger keeps orders in: one of [`MemoryStore`],
/// [`SqliteStore`] and `PostgresStore`. Sealed: the ledger's guarantees
/// rest on how each implements its transactions.
pub trait Store: Backend {}

impl<T: Backend> Store for T {}

/// An order as read inside a transaction, with the ids of the
/// cancellations already recorded for it.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Snapshot {
    pub(crate) order: Order,
    pub(crate) cancellations: HashSet<String>,
}

/// A cancellation to record.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewCancellation {
    pub(crate) cancellation_id: String,
    pub(crate) imp_uid: String,
    pub(crate) amount: Amount,
}

/// What one transaction writes: the order's new row (if `version` is
/// still the one read), its new transitions, cancellations and jobs.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Change {
    pub(crate) merchant_uid: String,
    /// The version read; the row is written only if it is still the same.
    pub(crate) version: i64,
    pub(crate) state_before: OrderState,
    pub(crate) state: OrderState,
    pub(crate) imp_uid: Option<String>,
    pub(crate) cancelled_amount: Amount,
    pub(crate) attention: Option<String>,
    pub(crate) vbank_due: Option<Micros>,
    pub(crate) checked_at: Micros,
    pub(crate) transitions: Vec<Transition>,
    pub(crate) cancellations: Vec<NewCancellation>,
    pub(crate) jobs: Vec<NewJob>,
}

impl Change {
    /// The order as a store holds it after this change is written: every
    /// store's copy of the row, and the ledger's answer, follow this one
    /// rule.
    pub(crate) fn apply_to(&self, order: &mut Order) {
        order.version += 1;
        order.state = self.state;
        order.imp_uid.clone_from(&self.imp_uid);
        order.cancelled_amount = self.cancelled_amount;
        order.attention.clone_from(&self.attention);
        order.vbank_due = self.vbank_due;
        order.checked_at = Some(self.checked_at);
        order.history.extend(self.transitions.iter().cloned());
    }
}

/// The answer to a refund's idempotency key.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq)]
pub enum RefundClaim {
    /// This call holds the key; refund with this checksum (the balance when
    /// the key was first claimed).
    Acquired {
        /// The balance the refund must find.
        checksum: Amount,
    },
    /// Another call holds the key and its lease has not ended.
    Busy,
    /// The refund with this key was carried out.
    Done,
}

/// A webhook delivery, for the audit table.
#[doc(hidden)]
#[derive(Clone, Debug)]
pub struct Delivery {
    pub(crate) received_at: Micros,
    pub(crate) source: Option<String>,
    pub(crate) body: String,
    pub(crate) imp_uid: Option<String>,
    pub(crate) result: String,
}

/// What a store does for the ledger. Not implementable outside the crate
/// (`Snapshot`, `Change` and the others have no public constructors).
#[doc(hidden)]
pub trait Backend: Send + Sync + 'static {
    /// One short transaction: never held across a call to PortOne.
    type Tx<'a>: Tx + 'a
    where
        Self: 'a;

    /// Starts a transaction that writes (SQLite: `BEGIN IMMEDIATE`).
    fn begin(&self) -> impl Future<Output = Result<Self::Tx<'_>, Error>> + Send;

    /// Stores a new order; the existing one when the id is taken.
    fn insert_order(
        &self,
        order: &Order,
    ) -> impl Future<Output = Result<Option<Order>, Error>> + Send;

    /// An order with its history.
    fn order(
        &self,
        merchant_uid: &str,
    ) -> impl Future<Output = Result<Option<Order>, Error>> + Send;

    /// Pending and awaiting-deposit orders last checked (or, never checked,
    /// opened) before `cutoff`, oldest first.
    fn due(
        &self,
        cutoff: Micros,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<String>, Error>> + Send;

    /// Notes that an order was looked up at `at` and nothing changed.
    fn mark_checked(
        &self,
        merchant_uid: &str,
        at: Micros,
    ) -> impl Future<Output = Result<(), Error>> + Send;

    /// Claims the oldest job not done whose lease (if any) ended before
    /// `now`, leasing it until `until`.
    fn claim_job(
        &self,
        now: Micros,
        until: Micros,
    ) -> impl Future<Output = Result<Option<ClaimedJob>, Error>> + Send;

    /// Ends a job if `lease` is still its lease.
    fn finish_job(
        &self,
        key: &str,
        lease: Micros,
        now: Micros,
    ) -> impl Future<Output = Result<bool, Error>> + Send;

    /// Claims a refund's idempotency key for `merchant_uid`, recording
    /// `checksum` if the key is new; takes over a key whose lease ended.
    fn claim_refund(
        &self,
        key: &str,
        merchant_uid: &str,
        checksum: Amount,
        now: Micros,
        until: Micros,
    ) -> impl Future<Output = Result<RefundClaim, Error>> + Send;

    /// Whether the refund with this key was made.
    fn refund_done(&self, key: &str) -> impl Future<Output = Result<bool, Error>> + Send;

    /// Ends a refund's key: done (repeats return the order), or released
    /// (nothing was refunded; the key may be used again).
    fn end_refund(&self, key: &str, done: bool) -> impl Future<Output = Result<(), Error>> + Send;

    /// Keeps a webhook delivery in the audit table.
    fn record_delivery(
        &self,
        delivery: &Delivery,
    ) -> impl Future<Output = Result<(), Error>> + Send;
}

/// A transaction of a [`Backend`]; dropped without
/// [`commit`](Tx::commit), it writes nothing.
#[doc(hidden)]
pub trait Tx: Send {
    /// The order, locked until the transaction ends (Postgres: `FOR
    /// UPDATE`; SQLite: the write lock `BEGIN IMMEDIATE` took).
    fn load(
        &mut self,
        merchant_uid: &str,
    ) -> impl Future<Output = Result<Option<Snapshot>, Error>> + Send;

    /// Makes `merchant_uid` the paid order of `reference` unless another
    /// already is; the owner either way.
    fn claim_reference(
        &mut self,
        reference: &str,
        merchant_uid: &str,
    ) -> impl Future<Output = Result<String, Error>> + Send;

    /// Writes a change; `false` when the order's version moved (nothing
    /// written).
    fn save(&mut self, change: &Change) -> impl Future<Output = Result<bool, Error>> + Send;

    /// Commits.
    fn commit(self) -> impl Future<Output = Result<(), Error>> + Send;
}
