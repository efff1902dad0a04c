//! The sweep: what no notification announced. PortOne sends each webhook
//! once unless the merchant asked for re-sending, and sends none for a
//! failed payment
//! ([webhook guide](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/integration/webhook/readme-v1.mdx)),
//! so open orders are looked up by their merchant_uid from time to time.

use std::time::Duration;

use crate::order::Micros;
use crate::store::{Store, Tx};
use crate::{Door, Error, Ledger, OrderState, plan};

/// How many orders one sweep looks at, at most.
const BATCH: i64 = 1000;

/// What [`Ledger::reconcile`] did.
#[derive(Debug, Default)]
#[non_exhaustive]
pub struct Report {
    /// Orders looked up.
    pub checked: usize,
    /// Orders whose state changed: (merchant_uid, before, after).
    pub changed: Vec<(String, OrderState, OrderState)>,
    /// Awaiting-deposit orders whose deadline passed without a deposit.
    pub expired: Vec<String>,
    /// Orders PortOne has no payment for yet.
    pub not_found: usize,
    /// Orders whose lookup or update failed this time (they are looked at
    /// again by the next sweep).
    pub failed: Vec<(String, Error)>,
}

impl<S: Store> Ledger<S> {
    /// Re-checks pending and awaiting-deposit orders not checked (or, never
    /// checked, opened) for `older_than`: looks their payments up by
    /// merchant_uid and settles them, so a payment whose notifications were
    /// all lost still ends up paid, once. An awaiting-deposit order whose
    /// deadline has passed without a deposit is expired (with a
    /// [`JobKind::Expired`](crate::JobKind::Expired) job); a deposit after
    /// that makes the order need attention, never silently paid. Goes on
    /// past lookups that fail or find nothing.
    pub async fn reconcile(&self, older_than: Duration) -> Result<Report, Error> {
        let now = Micros::now();
        let due = self.inner.store.due(now.minus(older_than), BATCH).await?;
        let mut report = Report::default();
        for merchant_uid in due {
            report.checked += 1;
            if let Err(error) = self.sweep_one(&merchant_uid, &mut report).await {
                report.failed.push((merchant_uid, error));
            }
        }
        Ok(report)
    }

    async fn sweep_one(&self, merchant_uid: &str, report: &mut Report) -> Result<(), Error> {
        let before = self.existing(merchant_uid).await?.state;
        let payments = match self.inner.client.find_all(merchant_uid, None).await {
            Ok(payments) => payments,
            Err(error) if error.is_not_found() => Vec::new(),
            Err(error) => return Err(Error::client(error)),
        };
        if payments.is_empty() {
            report.not_found += 1;
        }
        for payment in &payments {
            match self.apply(payment, Door::Sweep).await {
                Ok(_) => {}
                // Recorded as needing attention; the sweep goes on.
                Err(error) if error.kind() == crate::ErrorKind::Mismatch => {}
                Err(error) => return Err(error),
            }
        }
        if self.expire(merchant_uid).await? {
            report.expired.push(merchant_uid.to_owned());
        }
        let after = self.existing(merchant_uid).await?.state;
        if after != before {
            report
                .changed
                .push((merchant_uid.to_owned(), before, after));
        } else {
            self.inner
                .store
                .mark_checked(merchant_uid, Micros::now())
                .await?;
        }
        Ok(())
    }

    /// Expires the order if it still awaits a deposit past its deadline.
    async fn expire(&self, merchant_uid: &str) -> Result<bool, Error> {
        let mut tx = self.inner.store.begin().await?;
        let Some(stored) = tx.load(merchant_uid).await? else {
            return Ok(false);
        };
        let Some(change) = plan::expire(&stored.order, Micros::now()) else {
            return Ok(false);
        };
        if !tx.save(&change).await? {
            return Ok(false);
        }
        tx.commit().await?;
        for transition in &change.transitions {
            crate::trace::transition(merchant_uid, transition);
        }
        Ok(true)
    }
}
