//! What a payment object does to an order: a pure function of the order as
//! stored and the object as fetched. Every store writes what this decides.

use portone_pg::rest::{Expected, Payment, VerifyError};
use portone_pg::{Amount, PayMethod, Status};

use crate::job::{JobKind, NewJob};
use crate::order::{Door, Micros, Order, OrderState, Transition};
use crate::store::{Change, NewCancellation, Snapshot};

/// Where a payment object puts its order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    AwaitingDeposit,
    Paid,
    PartiallyCancelled,
    /// Paid, then refunded in full.
    Cancelled,
    /// Cancelled before any money came in: a virtual account revoked
    /// before its deposit.
    Revoked,
    Failed,
}

impl Standing {
    fn state(self) -> OrderState {
        match self {
            Standing::AwaitingDeposit => OrderState::AwaitingDeposit,
            Standing::Paid => OrderState::Paid,
            Standing::PartiallyCancelled => OrderState::PartiallyCancelled,
            Standing::Cancelled | Standing::Revoked => OrderState::Cancelled,
            Standing::Failed => OrderState::Failed,
        }
    }

    /// Whether money was received (some of it may have been refunded).
    pub(crate) fn received(self) -> bool {
        matches!(
            self,
            Standing::Paid | Standing::PartiallyCancelled | Standing::Cancelled
        )
    }

    /// Whether money was received and not all of it given back: the payment
    /// that holds a business reference.
    pub(crate) fn holds(self) -> bool {
        matches!(self, Standing::Paid | Standing::PartiallyCancelled)
    }
}

/// How much of the payment was refunded: `cancel_amount`, or the sum of
/// `cancel_history` for objects without it.
pub(crate) fn refunded(payment: &Payment) -> Amount {
    if let Some(amount) = payment.cancel_amount {
        return amount;
    }
    payment
        .cancel_history
        .iter()
        .flatten()
        .try_fold(Amount::from(0), |sum, c| sum.checked_add(c.amount))
        .unwrap_or(payment.amount)
}

/// The payment's standing, from its status and its refunded amount (which
/// `status` alone does not say for partial refunds). `None`: nothing to act
/// on (`ready` without a virtual account).
pub(crate) fn standing(payment: &Payment) -> Option<Standing> {
    let refunded = refunded(payment);
    Some(match payment.status {
        Status::Paid | Status::Cancelled if refunded >= payment.amount && !refunded.is_zero() => {
            Standing::Cancelled
        }
        Status::Paid | Status::Cancelled if !refunded.is_zero() => Standing::PartiallyCancelled,
        Status::Paid => Standing::Paid,
        Status::Cancelled => Standing::Revoked,
        Status::Ready if payment.pay_method == Some(PayMethod::Vbank) => Standing::AwaitingDeposit,
        Status::Failed => Standing::Failed,
        _ => return None,
    })
}

/// What the order expects of its payment.
pub(crate) fn expected(order: &Order) -> Expected {
    let expected =
        Expected::new(order.merchant_uid.clone(), order.amount).currency(order.currency.clone());
    match order.allow_sandbox {
        true => expected.allow_sandbox(),
        false => expected,
    }
}

/// A change being built from the stored order.
struct Draft<'a> {
    order: &'a Order,
    change: Change,
    door: Door,
    imp_uid: &'a str,
    now: Micros,
}

impl<'a> Draft<'a> {
    fn new(order: &'a Order, door: Door, imp_uid: &'a str, now: Micros) -> Self {
        Draft {
            order,
            change: Change {
                merchant_uid: order.merchant_uid.clone(),
                version: order.version,
                state_before: order.state,
                state: order.state,
                imp_uid: order.imp_uid.clone(),
                cancelled_amount: order.cancelled_amount,
                attention: order.attention.clone(),
                vbank_due: order.vbank_due,
                checked_at: now,
                transitions: Vec::new(),
                cancellations: Vec::new(),
                jobs: Vec::new(),
            },
            door,
            imp_uid,
            now,
        }
    }

    fn to(&mut self, state: OrderState) {
        self.change.transitions.push(Transition {
            from: self.change.state,
            to: state,
            door: self.door,
            imp_uid: Some(self.imp_uid.to_owned()),
            at: self.now,
        });
        self.change.state = state;
    }

    fn job(&mut self, kind: JobKind) {
        self.change.jobs.push(NewJob {
            kind,
            merchant_uid: self.order.merchant_uid.clone(),
        });
    }

    fn attention(&mut self, why: String, surplus: bool) {
        if self.change.state != OrderState::NeedsAttention {
            self.to(OrderState::NeedsAttention);
            self.job(JobKind::Attention);
        }
        if surplus {
            self.job(JobKind::RefundSurplus {
                imp_uid: self.imp_uid.to_owned(),
            });
        }
        self.change.attention = Some(why);
    }
}

/// The decision on one payment object.
pub(crate) struct Decision {
    pub change: Change,
    /// The payment is not the order's.
    pub mismatch: Option<VerifyError>,
}

/// Decides what `payment` does to the stored order. `reference_owner` is
/// the order holding the order's business reference, when the payment
/// shows money received and the order has one.
pub(crate) fn decide(
    stored: &Snapshot,
    payment: &Payment,
    reference_owner: Option<&str>,
    door: Door,
    now: Micros,
) -> Decision {
    let order = &stored.order;
    let mut draft = Draft::new(order, door, &payment.imp_uid, now);
    let standing = standing(payment);
    let identity = payment.verify_identity(&expected(order));
    let ours = order
        .imp_uid
        .as_deref()
        .is_none_or(|id| id == payment.imp_uid);
    let settled = order.state.holds_payment() || order.state == OrderState::Cancelled;
    if !ours && (settled || order.state == OrderState::NeedsAttention) {
        // The order was paid by another payment, which stands. PortOne
        // refuses a second payment for one merchant_uid, so one that holds
        // money is an anomaly to give back; other attempts change nothing.
        if standing.is_some_and(Standing::holds) {
            let why = format!(
                "a second payment {} for an order paid by {}",
                payment.imp_uid,
                order.imp_uid.as_deref().unwrap_or("-")
            );
            draft.change.attention = Some(why);
            draft.job(JobKind::RefundSurplus {
                imp_uid: payment.imp_uid.clone(),
            });
        }
        return Decision {
            change: draft.change,
            mismatch: identity.err(),
        };
    }
    if let Err(mismatch) = identity {
        // A failed attempt moved nothing; anything else did, or may yet.
        if standing.is_some_and(|s| s != Standing::Failed) {
            let why = format!("payment {} is not the order's: {mismatch}", payment.imp_uid);
            draft.attention(why, standing.is_some_and(Standing::received));
        }
        return Decision {
            change: draft.change,
            mismatch: Some(mismatch),
        };
    }
    let Some(standing) = standing else {
        return Decision {
            change: draft.change,
            mismatch: None,
        };
    };
    match order.state {
        OrderState::NeedsAttention => {}
        OrderState::Expired if standing.received() => {
            draft.change.imp_uid = Some(payment.imp_uid.clone());
            draft.attention(
                format!("a deposit for {} after the deadline", payment.imp_uid),
                true,
            );
        }
        current if standing.state().rank() > current.rank() => {
            advance(&mut draft, standing, payment, reference_owner);
        }
        _ => {}
    }
    record_cancellations(&mut draft, stored, payment);
    Decision {
        change: draft.change,
        mismatch: None,
    }
}

/// Moves the order forward to `standing`.
fn advance(draft: &mut Draft<'_>, standing: Standing, payment: &Payment, owner: Option<&str>) {
    if standing != Standing::Failed {
        draft.change.imp_uid = Some(payment.imp_uid.clone());
    }
    let merchant_uid = draft.order.merchant_uid.as_str();
    let taken = owner.filter(|owner| *owner != merchant_uid);
    if let (true, Some(owner)) = (standing.holds(), taken) {
        let reference = draft.order.reference.as_deref().unwrap_or("-");
        let why = format!("reference {reference:?} was already paid by order {owner:?}");
        draft.attention(why, true);
        return;
    }
    match standing {
        Standing::AwaitingDeposit => {
            draft.change.vbank_due = payment
                .vbank_date
                .as_ref()
                .and_then(|date| date.unix_seconds())
                .filter(|secs| *secs > 0)
                .map(Micros::from_secs);
            draft.to(OrderState::AwaitingDeposit);
        }
        Standing::Paid => {
            draft.to(OrderState::Paid);
            draft.job(JobKind::Fulfil);
        }
        Standing::PartiallyCancelled => {
            // It was paid first: fulfil, then record the refund.
            if draft.change.state.rank() < OrderState::Paid.rank() {
                draft.to(OrderState::Paid);
                draft.job(JobKind::Fulfil);
            }
            draft.to(OrderState::PartiallyCancelled);
        }
        Standing::Cancelled | Standing::Revoked | Standing::Failed => draft.to(standing.state()),
    }
}

/// Records the refunds of the order's payment not recorded yet, one job
/// each, and the refunded total (which never goes down: a stale object
/// changes nothing).
fn record_cancellations(draft: &mut Draft<'_>, stored: &Snapshot, payment: &Payment) {
    if draft.change.imp_uid.as_deref() != Some(payment.imp_uid.as_str()) {
        return;
    }
    for (index, cancellation) in payment.cancel_history.iter().flatten().enumerate() {
        // Objects from before 2024-02 have no ids: by position.
        let id = cancellation
            .cancellation_id
            .clone()
            .unwrap_or_else(|| format!("{}#{index}", payment.imp_uid));
        if stored.cancellations.contains(&id)
            || draft
                .change
                .cancellations
                .iter()
                .any(|c| c.cancellation_id == id)
        {
            continue;
        }
        draft.change.cancellations.push(NewCancellation {
            cancellation_id: id.clone(),
            imp_uid: payment.imp_uid.clone(),
            amount: cancellation.amount,
        });
        draft.job(JobKind::Cancelled {
            cancellation_id: id,
        });
    }
    let refunded = refunded(payment);
    if refunded > draft.change.cancelled_amount {
        draft.change.cancelled_amount = refunded;
    }
    // A full refund seen on an order already partially refunded.
    if draft.change.state == OrderState::PartiallyCancelled
        && draft.change.cancelled_amount >= draft.order.amount
    {
        draft.to(OrderState::Cancelled);
    }
}

/// The sweep's decision on an awaiting-deposit order whose deadline has
/// passed (after a lookup found no deposit).
pub(crate) fn expire(order: &Order, now: Micros) -> Option<Change> {
    if order.state != OrderState::AwaitingDeposit || order.vbank_due.is_none_or(|due| due >= now) {
        return None;
    }
    let imp_uid = order.imp_uid.clone().unwrap_or_default();
    let mut draft = Draft::new(order, Door::Sweep, &imp_uid, now);
    draft.to(OrderState::Expired);
    draft.job(JobKind::Expired);
    Some(draft.change)
}

impl Change {
    /// Whether writing it changes `order` (the order it was planned from)
    /// beyond the time of the last check: a row field, or a transition,
    /// cancellation or job to add.
    pub(crate) fn changes(&self, order: &Order) -> bool {
        !self.transitions.is_empty()
            || !self.cancellations.is_empty()
            || !self.jobs.is_empty()
            || self.state != order.state
            || self.imp_uid != order.imp_uid
            || self.cancelled_amount != order.cancelled_amount
            || self.attention != order.attention
            || self.vbank_due != order.vbank_due
    }
}
