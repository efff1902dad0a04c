//! Effects: a job row written in the same transaction as the change it
//! announces (a transactional outbox), claimed with a lease.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use crate::Error;
use crate::order::Micros;

/// What a job asks the shop to do.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum JobKind {
    /// The order was paid: ship it, grant it, mail it. Written once per
    /// order, with the transition to [`OrderState::Paid`](crate::OrderState::Paid).
    Fulfil,
    /// A refund was recorded (from a webhook, the console, the ledger's own
    /// refund, the sweep): one job per `cancellation_id`.
    Cancelled {
        /// PortOne's id of the cancellation.
        cancellation_id: String,
    },
    /// A virtual account's deadline passed: release what was held.
    Expired,
    /// A payment that must be refunded by hand or by
    /// [`Ledger::refund`](crate::Ledger::refund) on its own order: a second
    /// payment for a business order already paid, or a deposit after expiry.
    RefundSurplus {
        /// The payment to give back.
        imp_uid: String,
    },
    /// The order needs attention (see [`Order::attention`](crate::Order::attention)).
    Attention,
}

impl JobKind {
    pub(crate) fn encode(&self) -> (&'static str, Option<&str>) {
        match self {
            JobKind::Fulfil => ("fulfil", None),
            JobKind::Cancelled { cancellation_id } => ("cancelled", Some(cancellation_id)),
            JobKind::Expired => ("expired", None),
            JobKind::RefundSurplus { imp_uid } => ("refund_surplus", Some(imp_uid)),
            JobKind::Attention => ("attention", None),
        }
    }

    pub(crate) fn decode(kind: &str, detail: Option<String>) -> Option<Self> {
        Some(match (kind, detail) {
            ("fulfil", _) => JobKind::Fulfil,
            ("cancelled", Some(cancellation_id)) => JobKind::Cancelled { cancellation_id },
            ("expired", _) => JobKind::Expired,
            ("refund_surplus", Some(imp_uid)) => JobKind::RefundSurplus { imp_uid },
            ("attention", _) => JobKind::Attention,
            _ => return None,
        })
    }

    /// The job's key for an order: stable, so an effect keyed by it (an
    /// e-mail's idempotency key) happens once however often the job runs.
    pub(crate) fn key(&self, merchant_uid: &str) -> String {
        match self.encode() {
            (kind, Some(detail)) => format!("{merchant_uid}/{kind}/{detail}"),
            (kind, None) => format!("{merchant_uid}/{kind}"),
        }
    }
}

/// A job to write with a change.
#[derive(Clone, Debug, PartialEq, Eq)]
#[doc(hidden)]
pub struct NewJob {
    pub(crate) kind: JobKind,
    pub(crate) merchant_uid: String,
}

/// A claimed job as the store returns it.
#[derive(Clone, Debug)]
#[doc(hidden)]
pub struct ClaimedJob {
    pub(crate) key: String,
    pub(crate) merchant_uid: String,
    pub(crate) kind: JobKind,
    pub(crate) lease: Micros,
    pub(crate) attempts: i64,
}

/// Ends a claimed job in its store.
pub(crate) trait Finish: Send + Sync {
    fn finish<'a>(
        &'a self,
        key: &'a str,
        lease: Micros,
    ) -> Pin<Box<dyn Future<Output = Result<bool, Error>> + Send + 'a>>;
}

/// A claimed job: do it, then call [`done`](Job::done). A job not done
/// before its lease ends is offered again (to this or another worker), so
/// effects outside the database must be idempotent: key them by
/// [`key`](Job::key).
pub struct Job {
    pub(crate) claimed: ClaimedJob,
    pub(crate) store: Arc<dyn Finish>,
}

impl Job {
    /// What to do.
    pub fn kind(&self) -> &JobKind {
        &self.claimed.kind
    }

    /// The order it is about.
    pub fn merchant_uid(&self) -> &str {
        &self.claimed.merchant_uid
    }

    /// A stable key (order and kind): the same however often the job is
    /// offered.
    pub fn key(&self) -> &str {
        &self.claimed.key
    }

    /// How many times it was claimed, this one included.
    pub fn attempts(&self) -> i64 {
        self.claimed.attempts
    }

    /// Ends the job. `Ok(false)` when the lease had already ended and the
    /// job was claimed again (the other claim will end it).
    pub async fn done(self) -> Result<bool, Error> {
        self.store
            .finish(&self.claimed.key, self.claimed.lease)
            .await
    }
}

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job")
            .field("key", &self.claimed.key)
            .field("kind", &self.claimed.kind)
            .field("attempts", &self.claimed.attempts)
            .finish_non_exhaustive()
    }
}
