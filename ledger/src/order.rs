//! An order as the ledger keeps it: its state, its history, its refunds.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use portone_pg::{Amount, Currency};

/// Where an order stands. It moves only forward, and only from a verified
/// REST payment object (or the sweep's deadline for a virtual account).
///
/// ```text
/// Pending ─┬─> AwaitingDeposit ─┬─> Paid ─> PartiallyCancelled ─> Cancelled
///          ├─> Failed ──────────┘    └──────────────────────────────^
///          └─> Paid                 AwaitingDeposit ─> Expired (deadline passed)
/// any ─> NeedsAttention (a payment that is not the order's, a second payment)
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum OrderState {
    /// Opened; no payment seen yet.
    Pending,
    /// A virtual account was issued; the deposit has not arrived.
    AwaitingDeposit,
    /// Paid in full: fulfil it (a [`JobKind::Fulfil`](crate::JobKind::Fulfil)
    /// job was written with this transition).
    Paid,
    /// Paid, and part of it refunded.
    PartiallyCancelled,
    /// Everything refunded, or the virtual account revoked before the
    /// deposit.
    Cancelled,
    /// The last attempt failed; a later attempt can still pay it.
    Failed,
    /// The virtual account's deposit deadline passed without a deposit.
    Expired,
    /// A payment that does not match the order, a second payment for an
    /// order already paid, or a deposit after expiry: a person must look.
    NeedsAttention,
}

impl OrderState {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            OrderState::Pending => "pending",
            OrderState::AwaitingDeposit => "awaiting_deposit",
            OrderState::Paid => "paid",
            OrderState::PartiallyCancelled => "partially_cancelled",
            OrderState::Cancelled => "cancelled",
            OrderState::Failed => "failed",
            OrderState::Expired => "expired",
            OrderState::NeedsAttention => "needs_attention",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// How far along the order is: a payment object only ever moves an
    /// order to a later rank, so a stale object changes nothing.
    pub(crate) fn rank(self) -> u8 {
        match self {
            OrderState::Pending => 0,
            OrderState::Failed => 1,
            OrderState::AwaitingDeposit => 2,
            OrderState::Expired => 3,
            OrderState::Paid => 4,
            OrderState::PartiallyCancelled => 5,
            OrderState::Cancelled => 6,
            OrderState::NeedsAttention => 7,
        }
    }

    /// Whether money was received for the order (and not all of it given
    /// back).
    pub(crate) fn holds_payment(self) -> bool {
        matches!(self, OrderState::Paid | OrderState::PartiallyCancelled)
    }
}

const ALL: [OrderState; 8] = [
    OrderState::Pending,
    OrderState::AwaitingDeposit,
    OrderState::Paid,
    OrderState::PartiallyCancelled,
    OrderState::Cancelled,
    OrderState::Failed,
    OrderState::Expired,
    OrderState::NeedsAttention,
];

impl fmt::Display for OrderState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which way the news of a payment came in. It only says who asked: the
/// REST object decides.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Door {
    /// The `IMP.request_pay` callback your page posted.
    Callback,
    /// The redirect to `m_redirect_url`.
    Redirect,
    /// PortOne's webhook.
    Webhook,
    /// [`Ledger::reconcile`](crate::Ledger::reconcile).
    Sweep,
    /// [`Ledger::refund`](crate::Ledger::refund).
    Refund,
    /// A direct [`Ledger::settle`](crate::Ledger::settle) or
    /// [`Ledger::apply`](crate::Ledger::apply).
    Api,
}

impl Door {
    /// The name stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Door::Callback => "callback",
            Door::Redirect => "redirect",
            Door::Webhook => "webhook",
            Door::Sweep => "sweep",
            Door::Refund => "refund",
            Door::Api => "api",
        }
    }

    pub(crate) fn parse(text: &str) -> Option<Self> {
        [
            Door::Callback,
            Door::Redirect,
            Door::Webhook,
            Door::Sweep,
            Door::Refund,
            Door::Api,
        ]
        .into_iter()
        .find(|door| door.as_str() == text)
    }
}

impl fmt::Display for Door {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One change of an order's state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub(crate) from: OrderState,
    pub(crate) to: OrderState,
    pub(crate) door: Door,
    pub(crate) imp_uid: Option<String>,
    pub(crate) at: Micros,
}

impl Transition {
    /// The state before.
    pub fn from(&self) -> OrderState {
        self.from
    }

    /// The state after.
    pub fn to(&self) -> OrderState {
        self.to
    }

    /// Which door brought the news.
    pub fn door(&self) -> Door {
        self.door
    }

    /// The payment whose object made the change (none for an expiry).
    pub fn imp_uid(&self) -> Option<&str> {
        self.imp_uid.as_deref()
    }

    /// When the ledger applied it (its own clock).
    pub fn at(&self) -> SystemTime {
        self.at.time()
    }
}

/// Microseconds since the UNIX epoch: the ledger's timestamps, in the
/// database as integers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[doc(hidden)]
pub struct Micros(pub(crate) i64);

impl Micros {
    pub(crate) fn now() -> Self {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Micros(i64::try_from(since.as_micros()).unwrap_or(i64::MAX))
    }

    pub(crate) fn from_secs(secs: i64) -> Self {
        Micros(secs.saturating_mul(1_000_000))
    }

    pub(crate) fn time(self) -> SystemTime {
        let micros = u64::try_from(self.0).unwrap_or(0);
        UNIX_EPOCH + Duration::from_micros(micros)
    }

    pub(crate) fn minus(self, age: Duration) -> Self {
        let age = i64::try_from(age.as_micros()).unwrap_or(i64::MAX);
        Micros(self.0.saturating_sub(age))
    }

    pub(crate) fn plus(self, span: Duration) -> Self {
        let span = i64::try_from(span.as_micros()).unwrap_or(i64::MAX);
        Micros(self.0.saturating_add(span))
    }
}

/// An order: what was sold for how much, where its payment stands, and
/// how it got there.
#[derive(Clone, Debug, PartialEq)]
pub struct Order {
    pub(crate) merchant_uid: String,
    pub(crate) reference: Option<String>,
    pub(crate) amount: Amount,
    pub(crate) currency: Currency,
    pub(crate) allow_sandbox: bool,
    pub(crate) state: OrderState,
    pub(crate) imp_uid: Option<String>,
    pub(crate) cancelled_amount: Amount,
    pub(crate) attention: Option<String>,
    pub(crate) vbank_due: Option<Micros>,
    pub(crate) opened_at: Micros,
    pub(crate) checked_at: Option<Micros>,
    pub(crate) version: i64,
    pub(crate) history: Vec<Transition>,
}

impl Order {
    /// The order's id, the `merchant_uid` of its payment window.
    pub fn merchant_uid(&self) -> &str {
        &self.merchant_uid
    }

    /// The shop's own reference, shared by several attempts at one
    /// business order (see [`NewOrder::reference`](crate::NewOrder::reference)).
    pub fn reference(&self) -> Option<&str> {
        self.reference.as_deref()
    }

    /// The amount the order costs.
    pub fn amount(&self) -> Amount {
        self.amount
    }

    /// The currency (KRW unless opened otherwise).
    pub fn currency(&self) -> &Currency {
        &self.currency
    }

    /// Where it stands.
    pub fn state(&self) -> OrderState {
        self.state
    }

    /// The payment that paid it (or issued its virtual account).
    pub fn imp_uid(&self) -> Option<&str> {
        self.imp_uid.as_deref()
    }

    /// How much was refunded (0 when nothing), as PortOne's `cancel_amount`
    /// says.
    pub fn cancelled_amount(&self) -> Amount {
        self.cancelled_amount
    }

    /// What is still refundable: the amount minus what was refunded.
    pub fn refundable(&self) -> Amount {
        self.amount
            .checked_sub(self.cancelled_amount)
            .unwrap_or(Amount::from(0))
    }

    /// Why it needs attention, when it does.
    pub fn attention(&self) -> Option<&str> {
        self.attention.as_deref()
    }

    /// A virtual account's deposit deadline.
    pub fn deposit_deadline(&self) -> Option<SystemTime> {
        self.vbank_due.map(Micros::time)
    }

    /// When it was opened.
    pub fn opened_at(&self) -> SystemTime {
        self.opened_at.time()
    }

    /// Its transitions, oldest first.
    pub fn history(&self) -> &[Transition] {
        &self.history
    }
}
