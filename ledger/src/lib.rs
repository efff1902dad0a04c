//! Fulfil each PortOne V1 order exactly once, however the callback, the
//! redirect and the webhook race.
//!
//! An order is stored before the payment window opens; only the REST
//! payment object, checked against the stored order, moves it — callbacks,
//! redirects and webhooks only say which payment to look up. Each move is
//! one compare-and-set in the database, and the call that made it is told
//! so ([`Settled::is_first`]); the effects it announces are job rows written
//! in the same transaction ([`Ledger::next_job`]). Refunds go through the
//! client's checksum-guarded cancel and are recorded once each, by their
//! `cancellation_id`; an idempotency key makes a repeated refund request
//! return the first one's result. A sweep ([`Ledger::reconcile`]) finds
//! what no notification announced.
//!
//! ```
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use portone_pg::Amount;
//! use portone_pg::client::Client;
//! use portone_pg_ledger::store::MemoryStore;
//! use portone_pg_ledger::{JobKind, Ledger, OrderState};
//! # let fake = portone_pg_fake::FakeApi::start().await?;
//!
//! let client = Client::builder(fake.key(), fake.secret()).base_url(fake.url()).build()?;
//! let ledger = Ledger::new(client, MemoryStore::default());
//! // Before the payment window opens: stored as pending, amount registered.
//! ledger.open("order-1", Amount::from(1004)).await?;
//! # let imp_uid = fake.create(portone_pg_fake::NewPayment::paid("order-1", Amount::from(1004)))?;
//! // The callback, the redirect and the webhook all name the payment; each
//! // settles it, and exactly one of them is told it made the order paid.
//! let first = ledger.settle(&imp_uid).await?;
//! let again = ledger.settle(&imp_uid).await?;
//! assert!(first.is_first() && !again.is_first());
//! assert_eq!(again.state(), OrderState::Paid);
//! // The effect, once: a job written with the transition.
//! let job = ledger.next_job(std::time::Duration::from_secs(30)).await?.unwrap();
//! assert_eq!(job.kind(), &JobKind::Fulfil);
//! job.done().await?;
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
// Decoding stored rows is the SQL stores' alone.
#![cfg_attr(not(any(feature = "sqlite", feature = "postgres")), allow(dead_code))]

/// The README's example, compiled with the crate's doctests.
#[cfg(all(doctest, feature = "sqlite"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

mod error;
mod job;
mod notify;
mod order;
mod plan;
mod refund;
pub mod store;
mod sweep;
mod trace;

#[cfg(feature = "axum")]
pub mod axum;

use std::sync::Arc;
use std::time::Duration;

use portone_pg::rest::Payment;
use portone_pg::{Amount, Currency};
use portone_pg_client::{Again, Client, Schedule};

pub use error::{Error, ErrorKind};
pub use job::{Job, JobKind};
pub use notify::{Answer, Notification, PORTONE_ADDRESSES, Sources};
pub use order::{Door, Order, OrderState, Transition};
pub use refund::Refund;
pub use sweep::Report;

use job::Finish;
use order::Micros;
use store::{Store, Tx};

/// Orders, their payments and their effects; see the crate docs. Cheap to
/// clone: clones share the client and the store.
pub struct Ledger<S> {
    inner: Arc<Inner<S>>,
}

impl<S> Clone for Ledger<S> {
    fn clone(&self) -> Self {
        Ledger {
            inner: Arc::clone(&self.inner),
        }
    }
}

impl<S> std::fmt::Debug for Ledger<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ledger")
            .field("client", &self.inner.client)
            .finish_non_exhaustive()
    }
}

struct Inner<S> {
    client: Client,
    store: Arc<S>,
    /// Who may send webhooks; anyone when `None`.
    sources: Option<Sources>,
    /// How long a refund holds its idempotency key.
    refund_lease: Duration,
}

impl<S> Inner<S> {
    fn clone_with(&self, change: impl FnOnce(&mut Self)) -> Self {
        let mut inner = Inner {
            client: self.client.clone(),
            store: Arc::clone(&self.store),
            sources: self.sources.clone(),
            refund_lease: self.refund_lease,
        };
        change(&mut inner);
        inner
    }
}

/// An order to open: [`Ledger::open_order`].
#[derive(Clone, Debug)]
pub struct NewOrder {
    merchant_uid: String,
    amount: Amount,
    currency: Currency,
    reference: Option<String>,
    allow_sandbox: bool,
}

impl NewOrder {
    /// The order's id (the window's `merchant_uid`, at most 40 characters)
    /// and amount, in KRW.
    pub fn new(merchant_uid: impl Into<String>, amount: Amount) -> Self {
        NewOrder {
            merchant_uid: merchant_uid.into(),
            amount,
            currency: Currency::Krw,
            reference: None,
            allow_sandbox: false,
        }
    }

    /// Another currency than KRW.
    pub fn currency(mut self, currency: Currency) -> Self {
        self.currency = currency;
        self
    }

    /// The shop's own reference for the business order (a cart), shared by
    /// every attempt to pay it, each with its own merchant_uid (two tabs, a
    /// retry). Once one attempt is paid, another paid attempt needs
    /// attention and gets a [`JobKind::RefundSurplus`] job, never a second
    /// fulfilment.
    pub fn reference(mut self, reference: impl Into<String>) -> Self {
        self.reference = Some(reference.into());
        self
    }

    /// Accepts payments through PortOne's test channels (`sandbox: true`):
    /// for test configurations only.
    pub fn allow_sandbox(mut self) -> Self {
        self.allow_sandbox = true;
        self
    }
}

/// What [`Ledger::settle`] did.
#[derive(Clone, Debug)]
pub struct Settled {
    first: bool,
    recorded: Vec<String>,
    order: Order,
}

impl Settled {
    /// Whether this call made a state transition. However many calls settle
    /// one payment concurrently, from any door, on any number of ledgers
    /// sharing the database, exactly one is first for each state change.
    pub fn is_first(&self) -> bool {
        self.first
    }

    /// The order's state after the call.
    pub fn state(&self) -> OrderState {
        self.order.state
    }

    /// The order after the call.
    pub fn order(&self) -> &Order {
        &self.order
    }

    /// The cancellations this call recorded (by `cancellation_id`).
    pub fn recorded(&self) -> &[String] {
        &self.recorded
    }
}

/// How often a transaction is tried again when the order's version moved
/// between its read and its write (only a store without row locks can let
/// that happen).
const ATTEMPTS: usize = 8;

impl<S: Store> Ledger<S> {
    /// A ledger calling PortOne with `client` and keeping orders in `store`.
    pub fn new(client: Client, store: S) -> Self {
        Ledger {
            inner: Arc::new(Inner {
                client,
                store: Arc::new(store),
                sources: None,
                refund_lease: refund::KEY_LEASE,
            }),
        }
    }

    /// How long a refund with an idempotency key holds the key (default
    /// 120 s: the client's timeouts and a lookup fit in it). Another request
    /// with the key waits while it is held; after it ends (the process
    /// holding it died) the next request takes the key over and finds out,
    /// with the same checksum, whether the refund was made.
    pub fn refund_lease(self, lease: Duration) -> Self {
        Ledger {
            inner: Arc::new(self.inner.clone_with(|inner| inner.refund_lease = lease)),
        }
    }

    /// The client.
    pub fn client(&self) -> &Client {
        &self.inner.client
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.inner.store
    }

    /// Opens an order of `amount` KRW: registers the amount with PortOne
    /// (`POST /payments/prepare`, so no window opens for another amount)
    /// and stores the order as [`OrderState::Pending`]. Opening the same
    /// order again returns it.
    pub async fn open(&self, merchant_uid: &str, amount: Amount) -> Result<Order, Error> {
        self.open_order(NewOrder::new(merchant_uid, amount)).await
    }

    /// Charges the card stored as `customer_uid` for an order, and settles
    /// the order with the payment: the order is opened first (as
    /// [`open`](Self::open) does), so that the charge's webhook, arriving
    /// before or after this returns, settles it once like any other door.
    /// A declined charge leaves the order pending (the client's
    /// [`ErrorKind::ChargeDeclined`](portone_pg_client::ErrorKind::ChargeDeclined)).
    pub async fn charge(&self, again: Again) -> Result<Settled, Error> {
        self.open(again.merchant_uid(), again.amount()).await?;
        let payment = self
            .inner
            .client
            .again(again)
            .await
            .map_err(Error::client)?;
        self.apply(&payment, Door::Api).await
    }

    /// Schedules a charge of the card stored as `customer_uid` and opens
    /// its order first: when PortOne runs it, its webhook (or
    /// [`reconcile`](Self::reconcile)) settles the order exactly once.
    pub async fn schedule(&self, customer_uid: &str, schedule: Schedule) -> Result<Order, Error> {
        let order = self
            .open(schedule.merchant_uid(), schedule.amount())
            .await?;
        self.inner
            .client
            .schedule(customer_uid, &[schedule])
            .await
            .map_err(Error::client)?;
        Ok(order)
    }

    /// [`open`](Self::open) with a currency, a reference or test payments
    /// allowed. An existing order with other terms is an
    /// [`ErrorKind::OrderExists`] error.
    pub async fn open_order(&self, new: NewOrder) -> Result<Order, Error> {
        let client = &self.inner.client;
        let m = new.merchant_uid.clone();
        let m = m.as_str();
        if let Err(error) = client.prepare_in(m, new.amount, &new.currency).await {
            // Registered already (a repeated open): fine if for this amount.
            let registered = match error.kind() {
                portone_pg_client::ErrorKind::Api => client.prepared(m).await.ok(),
                _ => None,
            };
            if registered.is_none_or(|p| p.amount != new.amount) {
                return Err(Error::client(error));
            }
        }
        let order = Order {
            merchant_uid: new.merchant_uid,
            reference: new.reference,
            amount: new.amount,
            currency: new.currency,
            allow_sandbox: new.allow_sandbox,
            state: OrderState::Pending,
            imp_uid: None,
            cancelled_amount: Amount::from(0),
            attention: None,
            vbank_due: None,
            opened_at: Micros::now(),
            checked_at: None,
            version: 0,
            history: Vec::new(),
        };
        match self.inner.store.insert_order(&order).await? {
            None => Ok(order),
            Some(existing)
                if existing.amount == order.amount
                    && existing.currency == order.currency
                    && existing.reference == order.reference =>
            {
                Ok(existing)
            }
            Some(_) => Err(Error::new(
                ErrorKind::OrderExists,
                format!("order {:?} exists with other terms", order.merchant_uid),
            )),
        }
    }

    /// The order, with its history.
    pub async fn order(&self, merchant_uid: &str) -> Result<Option<Order>, Error> {
        self.inner.store.order(merchant_uid).await
    }

    /// Fetches the payment (test-channel ones too, so that one is refused as
    /// a mismatch rather than missed) and applies it to its order: at most
    /// one transition, made by exactly one of any number of concurrent
    /// calls.
    ///
    /// A payment that is not the order's is an [`ErrorKind::Mismatch`]
    /// error naming the difference ([`Error::verify`]); if it moved money the
    /// order now needs attention — it never becomes paid. A payment of an
    /// order the ledger does not have is an [`ErrorKind::UnknownOrder`]
    /// error.
    pub async fn settle(&self, imp_uid: &str) -> Result<Settled, Error> {
        self.settle_via(imp_uid, Door::Api).await
    }

    /// [`settle`](Self::settle), noting which door brought the news (it
    /// appears in the order's history).
    pub async fn settle_via(&self, imp_uid: &str, door: Door) -> Result<Settled, Error> {
        let payment = self.lookup(imp_uid).await?;
        self.apply(&payment, door).await
    }

    /// The payment as PortOne records it, test channels included.
    async fn lookup(&self, imp_uid: &str) -> Result<Payment, Error> {
        self.inner
            .client
            .payment_including_sandbox(imp_uid)
            .await
            .map_err(Error::client)
    }

    /// Applies a payment object already fetched from PortOne (never one
    /// built from a callback, a redirect or a webhook) to its order, in one
    /// short transaction of the ledger's.
    pub async fn apply(&self, payment: &Payment, door: Door) -> Result<Settled, Error> {
        for _ in 0..ATTEMPTS {
            let mut tx = self.inner.store.begin().await?;
            let Some(applied) = apply_in(&mut tx, payment, door).await? else {
                continue;
            };
            tx.commit().await?;
            return applied.finish(door);
        }
        Err(Error::new(
            ErrorKind::Store,
            "the order kept changing between read and write",
        ))
    }

    /// The oldest job not done, leased to the caller for `lease`: do it, then
    /// [`Job::done`]. A job whose lease ends first is offered again.
    pub async fn next_job(&self, lease: Duration) -> Result<Option<Job>, Error> {
        let now = Micros::now();
        let claimed = self.inner.store.claim_job(now, now.plus(lease)).await?;
        Ok(claimed.map(|claimed| Job {
            claimed,
            store: Arc::new(Finisher(Arc::clone(&self.inner.store))),
        }))
    }

    /// The order or [`ErrorKind::UnknownOrder`].
    async fn existing(&self, merchant_uid: &str) -> Result<Order, Error> {
        self.inner
            .store
            .order(merchant_uid)
            .await?
            .ok_or_else(|| unknown_order(merchant_uid))
    }
}

fn unknown_order(merchant_uid: &str) -> Error {
    Error::new(
        ErrorKind::UnknownOrder,
        format!("no order {merchant_uid:?} in the ledger"),
    )
}

/// What one transaction did: the order after it, and the verdict.
struct Applied {
    order: Order,
    /// How many transitions at the end of the order's history this call
    /// made.
    made: usize,
    first: bool,
    recorded: Vec<String>,
    mismatch: Option<portone_pg::rest::VerifyError>,
}

impl Applied {
    fn finish(self, door: Door) -> Result<Settled, Error> {
        let history = &self.order.history;
        for transition in &history[history.len() - self.made..] {
            trace::transition(&self.order.merchant_uid, transition);
        }
        if let Some(mismatch) = &self.mismatch {
            trace::refused(&self.order.merchant_uid, door, mismatch);
        }
        match self.mismatch {
            Some(mismatch) => Err(Error::mismatch(&self.order.merchant_uid, mismatch)),
            None => Ok(Settled {
                first: self.first,
                recorded: self.recorded,
                order: self.order,
            }),
        }
    }
}

/// Applies `payment` inside `tx`; `None` when the order's version moved
/// (nothing written: try again).
async fn apply_in<T: Tx>(
    tx: &mut T,
    payment: &Payment,
    door: Door,
) -> Result<Option<Applied>, Error> {
    let now = Micros::now();
    let Some(stored) = tx.load(&payment.merchant_uid).await? else {
        return Err(unknown_order(&payment.merchant_uid));
    };
    let order = &stored.order;
    let owner = match (&order.reference, plan::standing(payment)) {
        (Some(reference), Some(standing))
            if standing.holds() && payment.verify_identity(&plan::expected(order)).is_ok() =>
        {
            Some(tx.claim_reference(reference, &order.merchant_uid).await?)
        }
        _ => None,
    };
    let decision = plan::decide(&stored, payment, owner.as_deref(), door, now);
    let change = decision.change;
    let mut order = stored.order;
    // Nothing to write (a duplicate, a stale object): no write at all.
    if change.changes(&order) {
        if !tx.save(&change).await? {
            return Ok(None);
        }
        change.apply_to(&mut order);
    }
    let made = change.transitions.len();
    Ok(Some(Applied {
        order,
        made,
        first: made > 0,
        recorded: change
            .cancellations
            .into_iter()
            .map(|c| c.cancellation_id)
            .collect(),
        mismatch: decision.mismatch,
    }))
}

/// Ends jobs in the ledger's store.
struct Finisher<S>(Arc<S>);

impl<S: Store> Finish for Finisher<S> {
    fn finish<'a>(
        &'a self,
        key: &'a str,
        lease: Micros,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<bool, Error>> + Send + 'a>> {
        Box::pin(self.0.finish_job(key, lease, Micros::now()))
    }
}

/// Applying a payment inside the application's own transaction, so that a
/// database-local effect (stock, an entitlement) commits with the
/// transition or not at all.
macro_rules! apply_in_transaction {
    ($feature:literal, $store:ty, $conn:ty, $begin:literal) => {
        #[cfg(feature = $feature)]
        impl Ledger<$store> {
            /// [`apply`](Self::apply) inside the application's transaction
            /// on this store's database (begun with
            #[doc = concat!("`", $begin, "`")]
            /// ), which the application commits or rolls back: the
            /// transition, its jobs and the application's own writes commit
            /// together. The order's row stays locked until then.
            pub async fn apply_in(
                &self,
                conn: &mut $conn,
                payment: &Payment,
                door: Door,
            ) -> Result<Settled, Error> {
                let mut tx = <$store>::within(conn);
                match apply_in(&mut tx, payment, door).await? {
                    Some(applied) => applied.finish(door),
                    None => Err(Error::new(
                        ErrorKind::Store,
                        "the order changed inside the transaction; roll it back and try again",
                    )),
                }
            }
        }
    };
}

apply_in_transaction!(
    "sqlite",
    store::SqliteStore,
    sqlx::SqliteConnection,
    "pool.begin_with(\"BEGIN IMMEDIATE\")"
);
apply_in_transaction!(
    "postgres",
    store::PostgresStore,
    sqlx::PgConnection,
    "pool.begin()"
);
