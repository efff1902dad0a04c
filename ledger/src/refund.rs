//! Refunds through the ledger: the client's checksum-guarded cancel, the
//! checksum from the ledger's balance checked against a fresh lookup, the
//! cancellation recorded once, and an optional idempotency key.

use std::time::Duration;

use portone_pg::Amount;
use portone_pg_client::{Cancel, ErrorKind as ClientErrorKind};

use crate::order::Micros;
use crate::store::{RefundClaim, Store};
use crate::{Door, Error, ErrorKind, Ledger, Order, trace};

/// How long a refund holds its idempotency key before another call may
/// take it over (the client's own timeouts and one lookup fit in it).
pub(crate) const KEY_LEASE: Duration = Duration::from_secs(120);

/// A refund for [`Ledger::refund`].
///
/// ```
/// use portone_pg::Amount;
/// use portone_pg_ledger::Refund;
///
/// let part = Refund::partial("order-1", Amount::from(300)).reason("one item").key("return-17");
/// let all = Refund::full("order-1").reason("changed mind");
/// # let _ = (part, all);
/// ```
#[derive(Clone, Debug)]
pub struct Refund {
    merchant_uid: String,
    amount: Option<Amount>,
    reason: Option<String>,
    key: Option<String>,
}

impl Refund {
    /// Refunds everything not yet refunded.
    pub fn full(merchant_uid: impl Into<String>) -> Self {
        Refund {
            merchant_uid: merchant_uid.into(),
            amount: None,
            reason: None,
            key: None,
        }
    }

    /// Refunds `amount`.
    pub fn partial(merchant_uid: impl Into<String>, amount: Amount) -> Self {
        Refund {
            amount: Some(amount),
            ..Refund::full(merchant_uid)
        }
    }

    /// Why (shown to the buyer by some PGs; Naver Pay requires one).
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// An idempotency key: a second request with the same key — repeated,
    /// concurrent, from another instance — returns the order as the first
    /// request left it and never refunds again.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }
}

impl<S: Store> Ledger<S> {
    /// Refunds a paid order and returns it with the refund recorded.
    ///
    /// The checksum sent is the ledger's refundable balance, checked first
    /// against a fresh lookup (a refund made elsewhere is recorded before
    /// this one is sent), so that PortOne refuses this refund rather than
    /// making it twice. A refused refund is an [`ErrorKind::Client`] error
    /// and nothing was refunded; one whose outcome the client could not
    /// determine is an [`ErrorKind::Client`] error that
    /// [is transient](Error::is_transient): ask again with the same key.
    pub async fn refund(&self, refund: Refund) -> Result<Order, Error> {
        let m = refund.merchant_uid.as_str();
        if let Some(key) = &refund.key
            && self.inner.store.refund_done(key).await?
        {
            return self.existing(m).await;
        }
        let order = self.existing(m).await?;
        let Some(imp_uid) = order
            .imp_uid
            .clone()
            .filter(|_| order.state.holds_payment())
        else {
            return Err(Error::new(
                ErrorKind::NotRefundable,
                format!("order {m:?} is {}: nothing to refund", order.state),
            ));
        };
        // The ledger's balance, checked against PortOne's.
        let fresh = self.lookup(&imp_uid).await?;
        let mut balance = order.refundable();
        if fresh.cancellable_amount() != Some(balance) {
            balance = self.apply(&fresh, Door::Refund).await?.order().refundable();
        }
        let checksum = match &refund.key {
            None => balance,
            Some(key) => match self.hold_key(key, m, balance).await? {
                Some(checksum) => checksum,
                None => return self.existing(m).await,
            },
        };
        let amount = refund.amount.unwrap_or(checksum);
        if amount.is_zero() || amount > checksum {
            self.release(&refund, false).await?;
            return Err(Error::new(
                ErrorKind::NotRefundable,
                format!("order {m:?}: {amount} is not between 0 and the refundable {checksum}"),
            ));
        }
        let mut cancel = Cancel::partial(&imp_uid, amount).checksum(checksum);
        if let Some(reason) = &refund.reason {
            cancel = cancel.reason(reason.clone());
        }
        match self.inner.client.cancel(cancel).await {
            Ok(after) => {
                trace::refund(m, &amount, "refunded");
                self.apply(&after, Door::Refund).await?;
                self.release(&refund, true).await?;
                self.existing(m).await
            }
            Err(error) if error.kind() == ClientErrorKind::Api => {
                // Refused. With a key taken over from a call that did not
                // finish, the refusal may be the checksum finding that
                // call's refund: look.
                let fresh = self.lookup(&imp_uid).await?;
                let order = self.apply(&fresh, Door::Refund).await?.order().clone();
                let made = checksum.checked_sub(amount) == Some(order.refundable())
                    && refund.key.is_some();
                trace::refund(m, &amount, if made { "refunded" } else { "refused" });
                self.release(&refund, made).await?;
                match made {
                    true => Ok(order),
                    false => Err(Error::client(error)),
                }
            }
            // Unknown outcome: the key stays held until its lease ends, and
            // the next request with it finds out with the same checksum.
            Err(error) => {
                trace::refund(m, &amount, "unknown");
                Err(Error::client(error))
            }
        }
    }

    /// Holds `key` for this call: the checksum to use, or `None` when the
    /// refund with this key was made. Waits while another call holds it,
    /// at most one lease.
    async fn hold_key(
        &self,
        key: &str,
        merchant_uid: &str,
        balance: Amount,
    ) -> Result<Option<Amount>, Error> {
        let store = &self.inner.store;
        let lease = self.inner.refund_lease;
        let mut wait = Duration::from_millis(5);
        // A holder that died frees the key when its lease ends: wait a little
        // past one lease so that this call can take it over.
        let deadline =
            tokio::time::Instant::now() + lease + lease / 10 + Duration::from_millis(100);
        loop {
            let now = Micros::now();
            match store
                .claim_refund(key, merchant_uid, balance, now, now.plus(lease))
                .await?
            {
                RefundClaim::Acquired { checksum } => return Ok(Some(checksum)),
                RefundClaim::Done => return Ok(None),
                RefundClaim::Busy if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(wait).await;
                    wait = (wait * 2).min(Duration::from_millis(200));
                }
                RefundClaim::Busy => {
                    return Err(Error::new(
                        ErrorKind::RefundInProgress,
                        format!("refund key {key:?} is held by another call"),
                    ));
                }
            }
        }
    }

    /// Ends the refund's key, if it has one: done, or released.
    async fn release(&self, refund: &Refund, done: bool) -> Result<(), Error> {
        match &refund.key {
            Some(key) => self.inner.store.end_refund(key, done).await,
            None => Ok(()),
        }
    }
}
