//! The in-memory store: for examples and unit tests, one process only.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use portone_pg::Amount;
use tokio::sync::{Mutex, OwnedMutexGuard};

use super::{Backend, Change, Delivery, RefundClaim, Snapshot, Tx};
use crate::Error;
use crate::job::{ClaimedJob, JobKind};
use crate::order::{Micros, Order, OrderState};

/// Orders in memory. Clones share the same orders. Transactions take one
/// lock for the whole store, so they are serial, like SQLite's writes.
///
/// ```
/// use portone_pg_ledger::store::MemoryStore;
/// let store = MemoryStore::default();
/// # let _ = store;
/// ```
#[derive(Clone, Default)]
pub struct MemoryStore {
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for MemoryStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MemoryStore").finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    orders: HashMap<String, Order>,
    cancellations: HashMap<String, HashSet<String>>,
    references: HashMap<String, String>,
    /// By key; `order` keeps creation order.
    jobs: HashMap<String, StoredJob>,
    order: BTreeMap<(Micros, u64), String>,
    serial: u64,
    refunds: HashMap<String, StoredRefund>,
    deliveries: Vec<Delivery>,
}

struct StoredJob {
    merchant_uid: String,
    kind: JobKind,
    lease: Option<Micros>,
    attempts: i64,
    done: bool,
}

struct StoredRefund {
    checksum: Amount,
    lease: Micros,
    done: bool,
}

/// A transaction: the store's lock, and what it will write at commit.
pub struct MemoryTx {
    state: OwnedMutexGuard<State>,
    changes: Vec<Change>,
    references: Vec<(String, String)>,
}

impl Tx for MemoryTx {
    async fn load(&mut self, merchant_uid: &str) -> Result<Option<Snapshot>, Error> {
        let Some(order) = self.state.orders.get(merchant_uid) else {
            return Ok(None);
        };
        Ok(Some(Snapshot {
            order: order.clone(),
            cancellations: self
                .state
                .cancellations
                .get(merchant_uid)
                .cloned()
                .unwrap_or_default(),
        }))
    }

    async fn claim_reference(
        &mut self,
        reference: &str,
        merchant_uid: &str,
    ) -> Result<String, Error> {
        let staged = self.references.iter().find(|(r, _)| r == reference);
        if let Some(owner) = self
            .state
            .references
            .get(reference)
            .or(staged.map(|(_, owner)| owner))
        {
            return Ok(owner.clone());
        }
        self.references
            .push((reference.to_owned(), merchant_uid.to_owned()));
        Ok(merchant_uid.to_owned())
    }

    async fn save(&mut self, change: &Change) -> Result<bool, Error> {
        let current = self.state.orders.get(&change.merchant_uid);
        if current.is_none_or(|order| order.version != change.version) {
            return Ok(false);
        }
        self.changes.push(change.clone());
        Ok(true)
    }

    async fn commit(mut self) -> Result<(), Error> {
        let state = &mut *self.state;
        for (reference, owner) in self.references.drain(..) {
            state.references.entry(reference).or_insert(owner);
        }
        for change in self.changes.drain(..) {
            let Some(order) = state.orders.get_mut(&change.merchant_uid) else {
                continue;
            };
            change.apply_to(order);
            let recorded = state
                .cancellations
                .entry(change.merchant_uid.clone())
                .or_default();
            for cancellation in change.cancellations {
                recorded.insert(cancellation.cancellation_id);
            }
            for job in change.jobs {
                let key = job.kind.key(&job.merchant_uid);
                if state.jobs.contains_key(&key) {
                    continue;
                }
                state.serial += 1;
                state
                    .order
                    .insert((change.checked_at, state.serial), key.clone());
                state.jobs.insert(
                    key,
                    StoredJob {
                        merchant_uid: job.merchant_uid,
                        kind: job.kind,
                        lease: None,
                        attempts: 0,
                        done: false,
                    },
                );
            }
        }
        Ok(())
    }
}

impl Backend for MemoryStore {
    type Tx<'a> = MemoryTx;

    async fn begin(&self) -> Result<MemoryTx, Error> {
        Ok(MemoryTx {
            state: Arc::clone(&self.state).lock_owned().await,
            changes: Vec::new(),
            references: Vec::new(),
        })
    }

    async fn insert_order(&self, order: &Order) -> Result<Option<Order>, Error> {
        let mut state = self.state.lock().await;
        if let Some(existing) = state.orders.get(&order.merchant_uid) {
            return Ok(Some(existing.clone()));
        }
        state
            .orders
            .insert(order.merchant_uid.clone(), order.clone());
        Ok(None)
    }

    async fn order(&self, merchant_uid: &str) -> Result<Option<Order>, Error> {
        Ok(self.state.lock().await.orders.get(merchant_uid).cloned())
    }

    async fn due(&self, cutoff: Micros, limit: i64) -> Result<Vec<String>, Error> {
        let state = self.state.lock().await;
        let mut due: Vec<(Micros, &String)> = state
            .orders
            .values()
            .filter(|o| matches!(o.state, OrderState::Pending | OrderState::AwaitingDeposit))
            .map(|o| (o.checked_at.unwrap_or(o.opened_at), &o.merchant_uid))
            .filter(|(at, _)| *at < cutoff)
            .collect();
        due.sort();
        let limit = usize::try_from(limit).unwrap_or(0);
        Ok(due
            .into_iter()
            .take(limit)
            .map(|(_, m)| m.clone())
            .collect())
    }

    async fn mark_checked(&self, merchant_uid: &str, at: Micros) -> Result<(), Error> {
        if let Some(order) = self.state.lock().await.orders.get_mut(merchant_uid) {
            order.checked_at = Some(at);
        }
        Ok(())
    }

    async fn claim_job(&self, now: Micros, until: Micros) -> Result<Option<ClaimedJob>, Error> {
        let mut state = self.state.lock().await;
        let state = &mut *state;
        for key in state.order.values() {
            let Some(job) = state.jobs.get_mut(key) else {
                continue;
            };
            if job.done || job.lease.is_some_and(|lease| lease >= now) {
                continue;
            }
            job.lease = Some(until);
            job.attempts += 1;
            return Ok(Some(ClaimedJob {
                key: key.clone(),
                merchant_uid: job.merchant_uid.clone(),
                kind: job.kind.clone(),
                lease: until,
                attempts: job.attempts,
            }));
        }
        Ok(None)
    }

    async fn finish_job(&self, key: &str, lease: Micros, _now: Micros) -> Result<bool, Error> {
        let mut state = self.state.lock().await;
        match state.jobs.get_mut(key) {
            Some(job) if job.lease == Some(lease) && !job.done => {
                job.done = true;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    async fn claim_refund(
        &self,
        key: &str,
        merchant_uid: &str,
        checksum: Amount,
        now: Micros,
        until: Micros,
    ) -> Result<RefundClaim, Error> {
        let _ = merchant_uid;
        let mut state = self.state.lock().await;
        match state.refunds.get_mut(key) {
            None => {
                state.refunds.insert(
                    key.to_owned(),
                    StoredRefund {
                        checksum,
                        lease: until,
                        done: false,
                    },
                );
                Ok(RefundClaim::Acquired { checksum })
            }
            Some(refund) if refund.done => Ok(RefundClaim::Done),
            Some(refund) if refund.lease >= now => Ok(RefundClaim::Busy),
            Some(refund) => {
                refund.lease = until;
                Ok(RefundClaim::Acquired {
                    checksum: refund.checksum,
                })
            }
        }
    }

    async fn refund_done(&self, key: &str) -> Result<bool, Error> {
        let state = self.state.lock().await;
        Ok(state.refunds.get(key).is_some_and(|refund| refund.done))
    }

    async fn end_refund(&self, key: &str, done: bool) -> Result<(), Error> {
        let mut state = self.state.lock().await;
        if done {
            if let Some(refund) = state.refunds.get_mut(key) {
                refund.done = true;
            }
        } else {
            state.refunds.remove(key);
        }
        Ok(())
    }

    async fn record_delivery(&self, delivery: &Delivery) -> Result<(), Error> {
        self.state.lock().await.deliveries.push(delivery.clone());
        Ok(())
    }
}
