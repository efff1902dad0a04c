//! `POST /payments/cancel`, made safe: a typed request, the `checksum` read
//! fresh before sending, and an unknown outcome resolved by a lookup, never
//! by a blind resend.
//!
//! Parameters and the checksum's meaning: the
//! [cancel guide](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/integration/cancel/v1/basic.mdx)
//! and the [API reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L4018).

use std::collections::HashSet;
use std::fmt;

use portone_pg_core::Amount;
use portone_pg_core::rest::{Cancellation, Payment};
use serde::Serialize;

use crate::endpoints::foreign;
use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Exact, Replay};
use crate::{Client, Error, ErrorKind};

const ENDPOINT: &str = "POST /payments/cancel";

/// A refund request for [`Client::cancel`]: the whole balance or part of it.
///
/// ```
/// # use portone_pg_core as portone_pg;
/// use portone_pg::Amount;
/// use portone_pg_client::{Cancel, RefundAccount, Requester};
///
/// let full = Cancel::full("imp_123").reason("out of stock");
/// let part = Cancel::partial("imp_123", Amount::from(300))
///     .reason("one item returned")
///     .tax_free(Amount::from(0))
///     .requester(Requester::Customer);
/// let vbank = Cancel::full("imp_456").refund_to(RefundAccount::new("홍길동", "004", "12345678901234"));
/// // Personal data stays out of Debug.
/// assert!(!format!("{vbank:?}").contains("12345678901234"));
/// # let _ = (full, part);
/// ```
// Debug is derived: the one field holding personal data, the refund
// account, redacts itself.
#[derive(Clone, Debug)]
pub struct Cancel {
    imp_uid: String,
    amount: Option<Amount>,
    reason: Option<String>,
    tax_free: Option<Amount>,
    vat_amount: Option<Amount>,
    checksum: Option<Amount>,
    refund: Option<RefundAccount>,
    requester: Option<Requester>,
    enable_webhook: bool,
}

/// Where a virtual-account (or KCP next-month phone) refund goes. Requires a
/// special contract with the PG, Toss Payments excepted.
#[derive(Clone)]
pub struct RefundAccount {
    holder: String,
    bank: String,
    account: String,
    tel: Option<String>,
}

impl RefundAccount {
    /// The holder's name, the PG's bank code, the account number.
    pub fn new(
        holder: impl Into<String>,
        bank: impl Into<String>,
        account: impl Into<String>,
    ) -> Self {
        RefundAccount {
            holder: holder.into(),
            bank: bank.into(),
            account: account.into(),
            tel: None,
        }
    }

    /// The holder's phone number (`refund_tel`; smartro requires it).
    pub fn tel(mut self, tel: impl Into<String>) -> Self {
        self.tel = Some(tel.into());
        self
    }
}

impl fmt::Debug for RefundAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefundAccount")
            .field("bank", &self.bank)
            .finish_non_exhaustive()
    }
}

/// Who asks for the cancel (`extra.requester`, Naver Pay).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Requester {
    /// `customer`: the buyer.
    Customer,
    /// `admin`: the merchant.
    Admin,
}

impl Cancel {
    fn new(imp_uid: String, amount: Option<Amount>) -> Self {
        Cancel {
            imp_uid,
            amount,
            reason: None,
            tax_free: None,
            vat_amount: None,
            checksum: None,
            refund: None,
            requester: None,
            enable_webhook: false,
        }
    }

    /// Refunds everything not yet refunded.
    pub fn full(imp_uid: impl Into<String>) -> Self {
        Cancel::new(imp_uid.into(), None)
    }

    /// Refunds `amount` of it.
    pub fn partial(imp_uid: impl Into<String>, amount: Amount) -> Self {
        Cancel::new(imp_uid.into(), Some(amount))
    }

    /// Why (Naver Pay's review requires one).
    pub fn reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = Some(reason.into());
        self
    }

    /// The tax-free part of the refund (kcp, kcp_quick, kicc, nice and payco
    /// need it for tax-free payments).
    pub fn tax_free(mut self, amount: Amount) -> Self {
        self.tax_free = Some(amount);
        self
    }

    /// The VAT part of the refund (nice, html5_inicis, welcome, nice_v2 need
    /// it when the payment stated VAT).
    pub fn vat_amount(mut self, amount: Amount) -> Self {
        self.vat_amount = Some(amount);
        self
    }

    /// The refundable balance the caller believes in, instead of the one
    /// [`Client::cancel`] reads just before sending: PortOne refuses the
    /// cancel if its balance differs.
    pub fn checksum(mut self, balance: Amount) -> Self {
        self.checksum = Some(balance);
        self
    }

    /// Where a virtual-account refund goes.
    pub fn refund_to(mut self, account: RefundAccount) -> Self {
        self.refund = Some(account);
        self
    }

    /// Who asks (Naver Pay).
    pub fn requester(mut self, requester: Requester) -> Self {
        self.requester = Some(requester);
        self
    }

    /// Asks PortOne to send the `cancelled` webhook (API cancels send none
    /// otherwise).
    pub fn enable_webhook(mut self) -> Self {
        self.enable_webhook = true;
        self
    }
}

/// The request body.
#[derive(Serialize)]
struct Body<'a> {
    imp_uid: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amount: Option<Exact<'a>>,
    checksum: Exact<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tax_free: Option<Exact<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vat_amount: Option<Exact<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refund_holder: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refund_bank: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refund_account: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refund_tel: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra: Option<Extra>,
    enable_webhook: bool,
}

#[derive(Serialize)]
struct Extra {
    requester: &'static str,
}

/// What a payment read after a cancel says about it.
#[derive(Debug, PartialEq, Eq)]
enum Resolution {
    /// A new cancellation of the requested amount is there, and the
    /// refunded total grew by at least that much.
    Applied,
    /// Nothing changed: the request was not carried out.
    NotApplied,
    /// Something else changed the balance: not ours, and resending would
    /// fail the checksum anyway.
    ChangedOtherwise,
}

fn resolve(before: &Payment, after: &Payment, amount: Amount) -> Resolution {
    let zero = Amount::from(0);
    let (was, is) = (
        before.cancel_amount.unwrap_or(zero),
        after.cancel_amount.unwrap_or(zero),
    );
    let old = before.cancel_history.as_deref().unwrap_or_default();
    let ids: HashSet<&str> = old
        .iter()
        .filter_map(|c| c.cancellation_id.as_deref())
        .collect();
    let new: Vec<&Cancellation> = after
        .cancel_history
        .as_deref()
        .unwrap_or_default()
        .iter()
        .enumerate()
        .filter(|(i, c)| match &c.cancellation_id {
            Some(id) => !ids.contains(id.as_str()),
            // Objects without ids: by position.
            None => *i >= old.len(),
        })
        .map(|(_, c)| c)
        .collect();
    let grew = was.checked_add(amount).is_some_and(|total| is >= total);
    if new.iter().any(|c| c.amount == amount) && grew {
        Resolution::Applied
    } else if new.is_empty() && is == was {
        Resolution::NotApplied
    } else {
        Resolution::ChangedOtherwise
    }
}

impl Client {
    /// Refunds a payment and returns it as it is after the refund.
    ///
    /// Unless [`Cancel::checksum`] gives one, it first reads the payment and
    /// sends its refundable balance (`amount - cancel_amount`) as `checksum`:
    /// if another refund happened meanwhile — a retry of this one, another
    /// task, the console — PortOne refuses this one instead of refunding
    /// twice. A refusal is an [`ErrorKind::Api`] error with PortOne's code
    /// and message.
    ///
    /// When the outcome is unknown (a timeout, a reset connection, a 5xx or
    /// an unreadable reply after sending), it reads the payment again: a new
    /// `cancel_history` entry of the requested amount means it happened (the
    /// payment is returned); an unchanged payment means it did not, and the
    /// same request (same checksum) is sent once more; anything else is an
    /// [`ErrorKind::CancelOutcomeUnknown`] error.
    pub async fn cancel(&self, cancel: Cancel) -> Result<Payment, Error> {
        let call = Call::new(ENDPOINT, Some(&cancel.imp_uid), None);
        self.run(&call, self.cancel_inner(&call, cancel)).await
    }

    async fn cancel_inner(&self, call: &Call, cancel: Cancel) -> Result<Payment, Error> {
        let before = self.lookup(call, &cancel.imp_uid, true).await?;
        let balance = before.cancellable_amount().ok_or_else(|| {
            Error::new(ErrorKind::Body, ENDPOINT).with_message("amount - cancel_amount overflows")
        })?;
        let checksum = cancel.checksum.unwrap_or(balance);
        // What a successful cancel adds to cancel_history.
        let refunded = match cancel.amount {
            Some(amount) if !amount.is_zero() => amount,
            _ => checksum,
        };
        let refund = cancel.refund.as_ref();
        let body = serde_json::to_vec(&Body {
            imp_uid: &cancel.imp_uid,
            amount: cancel.amount.as_ref().map(Exact),
            checksum: Exact(&checksum),
            tax_free: cancel.tax_free.as_ref().map(Exact),
            vat_amount: cancel.vat_amount.as_ref().map(Exact),
            reason: cancel.reason.as_deref(),
            refund_holder: refund.map(|r| r.holder.as_str()),
            refund_bank: refund.map(|r| r.bank.as_str()),
            refund_account: refund.map(|r| r.account.as_str()),
            refund_tel: refund.and_then(|r| r.tel.as_deref()),
            extra: cancel.requester.map(|r| Extra {
                requester: match r {
                    Requester::Customer => "customer",
                    Requester::Admin => "admin",
                },
            }),
            enable_webhook: cancel.enable_webhook,
        })
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, ENDPOINT).with_source(e))?;
        let url = format!("{}/payments/cancel", self.shared.base);
        let (url, body, before, cancel) = (&url, &body, &before, &cancel);
        let send = move || async move {
            let after: Payment = self
                .call(call, ENDPOINT, Replay::Never, || {
                    self.json_request(reqwest::Method::POST, url, body)
                })
                .await?;
            // A "done" that does not show the refund asked for, on the
            // payment asked for, is not proof: it is resolved by lookup.
            if after.imp_uid != cancel.imp_uid {
                return Err(foreign(ENDPOINT, "payment"));
            }
            if resolve(before, &after, refunded) != Resolution::Applied {
                return Err(Error::new(ErrorKind::Body, ENDPOINT).with_message(format!(
                    "the reply does not show a new cancellation of {refunded}"
                )));
            }
            Ok(after)
        };
        let probe = move || async move {
            let after = self.lookup(call, &cancel.imp_uid, true).await?;
            Ok(match resolve(before, &after, refunded) {
                Resolution::Applied => Probe::Applied(after),
                Resolution::NotApplied => Probe::NotApplied,
                Resolution::ChangedOtherwise => Probe::Other(format!(
                    "the balance changed without a cancellation of {refunded}"
                )),
            })
        };
        once(ENDPOINT, ErrorKind::CancelOutcomeUnknown, send, probe).await
    }
}
