//! The API's calls, one method each: what is asked, and the checks that
//! the reply is the object asked for.

use portone_pg_core::rest::{
    Certification, Expected, Payment, PaymentBalance, PaymentPage, Prepared, VerifiedPayment,
};
use portone_pg_core::{Amount, Currency, Status};
use serde::Serialize;

use crate::once::{Probe, once};
use crate::trace::Call;
use crate::transport::{Exact, Replay, segment};
use crate::{Client, Error, ErrorKind};

/// The body of `POST|PUT /payments/prepare`.
#[derive(Serialize)]
pub(crate) struct PrepareBody<'a> {
    pub(crate) merchant_uid: &'a str,
    pub(crate) amount: Exact<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) currency: Option<&'a str>,
}

/// The error for a reply about another object than the one asked for.
pub(crate) fn foreign(endpoint: &'static str, what: &str) -> Error {
    Error::new(ErrorKind::Body, endpoint).with_message(format!(
        "the reply is about another {what} than the one asked for"
    ))
}

impl Client {
    /// `GET /payments/{imp_uid}`: the payment as PortOne records it. An
    /// object for another `imp_uid` is an [`ErrorKind::Body`] error.
    pub async fn payment(&self, imp_uid: &str) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(
            &call,
            self.lookup(&call, imp_uid, self.shared.include_sandbox),
        )
        .await
    }

    /// `GET /payments/{imp_uid}?include_sandbox=true`: the payment, also
    /// when it was made through a test channel, whatever
    /// [`include_sandbox`](crate::ClientBuilder::include_sandbox) says. For code
    /// that checks the object itself (a ledger), so that a test payment is
    /// seen and refused as one instead of reported as not found.
    pub async fn payment_including_sandbox(&self, imp_uid: &str) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, self.lookup(&call, imp_uid, true)).await
    }

    /// `GET /payments/{imp_uid}/balance`: the payment's amount split by
    /// means of payment and for tax, after refunds. PortOne answers it for
    /// PAYCO payments only; for others, an [`ErrorKind::Api`] error.
    pub async fn payment_balance(&self, imp_uid: &str) -> Result<PaymentBalance, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}/balance";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, async {
            let mut url = self.url(ENDPOINT, "payments", &[imp_uid])?;
            url.push_str("/balance");
            self.call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await
        })
        .await
    }

    pub(crate) async fn lookup(
        &self,
        call: &Call,
        imp_uid: &str,
        include_sandbox: bool,
    ) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let mut url = self.url(ENDPOINT, "payments", &[imp_uid])?;
        if include_sandbox {
            url.push_str("?include_sandbox=true");
        }
        let payment: Payment = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        if payment.imp_uid != imp_uid {
            return Err(foreign(ENDPOINT, "payment"));
        }
        Ok(payment)
    }

    /// Fetches the payment and [verifies](Payment::verify) it against the
    /// order: the only way to a "paid" fact. The object must be the payment
    /// `imp_uid` names (otherwise an [`ErrorKind::Body`] error, whatever
    /// `expected` says). A test-channel payment is found (the lookup asks
    /// with `include_sandbox=true`) and refused unless `expected`
    /// [allows it](Expected::allow_sandbox). A mismatch is an
    /// [`ErrorKind::Verify`] error whose [`Error::verify`] says what differs.
    pub async fn confirm(
        &self,
        imp_uid: &str,
        expected: &Expected,
    ) -> Result<VerifiedPayment, Error> {
        const ENDPOINT: &str = "GET /payments/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, async {
            let payment = self.lookup(&call, imp_uid, true).await?;
            payment
                .verify(expected)
                .map_err(|e| Error::verify_error(ENDPOINT, e))
        })
        .await
    }

    /// `GET /payments/find/{merchant_uid}[/{status}]`: the newest payment
    /// (by window opening) with this order id, of this status if given. An
    /// order id may have several payments (a failed attempt, then a paid
    /// one): filter by status, or use [`find_all`](Self::find_all). An
    /// object of another order or status is an [`ErrorKind::Body`] error.
    pub async fn find(
        &self,
        merchant_uid: &str,
        status: Option<&Status>,
    ) -> Result<Payment, Error> {
        const ENDPOINT: &str = "GET /payments/find/{merchant_uid}";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        let ids: Vec<&str> = std::iter::once(merchant_uid)
            .chain(status.map(Status::as_str))
            .collect();
        self.run(&call, async {
            let url = self.url(ENDPOINT, "payments/find", &ids)?;
            let payment: Payment = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            Self::of_order(ENDPOINT, &payment, merchant_uid, status)?;
            Ok(payment)
        })
        .await
    }

    /// A payment found by its order: that order's, of that status.
    fn of_order(
        endpoint: &'static str,
        payment: &Payment,
        merchant_uid: &str,
        status: Option<&Status>,
    ) -> Result<(), Error> {
        if payment.merchant_uid != merchant_uid {
            return Err(foreign(endpoint, "order"));
        }
        if status.is_some_and(|status| *status != payment.status) {
            return Err(Error::new(ErrorKind::Body, endpoint)
                .with_message("the reply is a payment of another status than the one asked for"));
        }
        Ok(())
    }

    /// `GET /payments/findAll/{merchant_uid}[/{status}]`, every page (1000
    /// per page, at most 100 pages): all payments with this order id. A
    /// payment of another order or status is an [`ErrorKind::Body`] error.
    pub async fn find_all(
        &self,
        merchant_uid: &str,
        status: Option<&Status>,
    ) -> Result<Vec<Payment>, Error> {
        const ENDPOINT: &str = "GET /payments/findAll/{merchant_uid}";
        const MAX_PAGES: i64 = 100;
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        let ids: Vec<&str> = std::iter::once(merchant_uid)
            .chain(status.map(Status::as_str))
            .collect();
        self.run(&call, async {
            let base = self.url(ENDPOINT, "payments/findAll", &ids)?;
            let mut all = Vec::new();
            let mut page = 1;
            loop {
                let url = format!("{base}?page={page}&limit=1000");
                let found: PaymentPage = self
                    .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                    .await?;
                for payment in found.list.unwrap_or_default() {
                    Self::of_order(ENDPOINT, &payment, merchant_uid, status)?;
                    all.push(payment);
                }
                let next = found.next.get();
                if next == 0 {
                    return Ok(all);
                }
                if next <= page || next > MAX_PAGES {
                    return Err(Error::new(ErrorKind::Body, ENDPOINT)
                        .with_message(format!("page {page} names page {next} as the next")));
                }
                page = next;
            }
        })
        .await
    }

    /// `GET /payments?imp_uid[]=…`: up to 100 payments at once. Ids PortOne
    /// does not find are left out (it answers 207); none found is a 404
    /// [`ErrorKind::Api`] error. A payment that was not asked for, or one
    /// returned twice, is an [`ErrorKind::Body`] error.
    pub async fn payments(&self, imp_uids: &[&str]) -> Result<Vec<Payment>, Error> {
        const ENDPOINT: &str = "GET /payments";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            if imp_uids.is_empty() || imp_uids.len() > 100 {
                return Err(Error::new(ErrorKind::InvalidRequest, ENDPOINT)
                    .with_message("between 1 and 100 imp_uids"));
            }
            let mut url = format!("{}/payments?", self.shared.base);
            for (i, imp_uid) in imp_uids.iter().enumerate() {
                if i > 0 {
                    url.push('&');
                }
                url.push_str("imp_uid%5B%5D=");
                url.push_str(&segment(ENDPOINT, imp_uid)?);
            }
            let payments: Vec<Payment> = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            let mut unseen: std::collections::HashSet<&str> = imp_uids.iter().copied().collect();
            for payment in &payments {
                if !unseen.remove(payment.imp_uid.as_str()) {
                    return Err(foreign(ENDPOINT, "set of payments"));
                }
            }
            Ok(payments)
        })
        .await
    }

    /// `POST /payments/prepare`: registers the amount before the payment
    /// window opens; PortOne then refuses to open a window for this
    /// `merchant_uid` with another amount. The currency is not checked
    /// (see [`prepare_in`](Self::prepare_in)).
    ///
    /// When the outcome is unknown (a timeout, a 5xx, a 401 after sending),
    /// it reads the registration back: the amount asked for means it
    /// happened; none means it did not, and the request is sent once more;
    /// anything else is an [`ErrorKind::OutcomeUnknown`] error.
    pub async fn prepare(&self, merchant_uid: &str, amount: Amount) -> Result<Prepared, Error> {
        self.register(merchant_uid, &amount, None).await
    }

    /// [`prepare`](Self::prepare) with the currency checked too.
    pub async fn prepare_in(
        &self,
        merchant_uid: &str,
        amount: Amount,
        currency: &Currency,
    ) -> Result<Prepared, Error> {
        self.register(merchant_uid, &amount, Some(currency)).await
    }

    async fn register(
        &self,
        merchant_uid: &str,
        amount: &Amount,
        currency: Option<&Currency>,
    ) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "POST /payments/prepare";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        let registered = |prepared: &Prepared| {
            prepared.amount == *amount
                && currency.is_none_or(|c| prepared.currency.as_ref() == Some(c))
        };
        let (call, registered) = (&call, &registered);
        let send = move || async move {
            let prepared = self
                .send_prepare(call, reqwest::Method::POST, merchant_uid, amount, currency)
                .await?;
            match registered(&prepared) {
                true => Ok(prepared),
                false => Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply registers another amount than the one sent")),
            }
        };
        let probe = move || async move {
            match self.read_prepared(call, merchant_uid).await {
                Ok(prepared) if registered(&prepared) => Ok(Probe::Applied(prepared)),
                Ok(_) => Ok(Probe::Other("another amount is registered".into())),
                Err(error) if error.is_not_found() => Ok(Probe::NotApplied),
                Err(error) => Err(error),
            }
        };
        self.run(call, once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe))
            .await
    }

    /// `PUT /payments/prepare`: changes a registered amount (a 404
    /// [`ErrorKind::Api`] error when none was registered). Sending it twice
    /// registers the same amount, so it is retried after a 401 like a
    /// lookup.
    pub async fn update_prepared(
        &self,
        merchant_uid: &str,
        amount: Amount,
    ) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "PUT /payments/prepare";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        self.run(&call, async {
            let prepared = self
                .send_prepare(&call, reqwest::Method::PUT, merchant_uid, &amount, None)
                .await?;
            if prepared.amount != amount {
                return Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply registers another amount than the one sent"));
            }
            Ok(prepared)
        })
        .await
    }

    async fn send_prepare(
        &self,
        call: &Call,
        method: reqwest::Method,
        merchant_uid: &str,
        amount: &Amount,
        currency: Option<&Currency>,
    ) -> Result<Prepared, Error> {
        let (endpoint, replay) = if method == reqwest::Method::PUT {
            ("PUT /payments/prepare", Replay::Safe)
        } else {
            ("POST /payments/prepare", Replay::Never)
        };
        let body = serde_json::to_vec(&PrepareBody {
            merchant_uid,
            amount: Exact(amount),
            currency: currency.map(Currency::as_str),
        })
        .map_err(|e| Error::new(ErrorKind::InvalidRequest, endpoint).with_source(e))?;
        let url = format!("{}/payments/prepare", self.shared.base);
        let prepared: Prepared = self
            .call(call, endpoint, replay, || {
                self.json_request(method.clone(), &url, &body)
            })
            .await?;
        if prepared.merchant_uid != merchant_uid {
            return Err(foreign(endpoint, "order"));
        }
        Ok(prepared)
    }

    /// `GET /payments/prepare/{merchant_uid}`: the registered amount.
    pub async fn prepared(&self, merchant_uid: &str) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "GET /payments/prepare/{merchant_uid}";
        let call = Call::new(ENDPOINT, None, Some(merchant_uid));
        self.run(&call, self.read_prepared(&call, merchant_uid))
            .await
    }

    async fn read_prepared(&self, call: &Call, merchant_uid: &str) -> Result<Prepared, Error> {
        const ENDPOINT: &str = "GET /payments/prepare/{merchant_uid}";
        let url = self.url(ENDPOINT, "payments/prepare", &[merchant_uid])?;
        let prepared: Prepared = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        if prepared.merchant_uid != merchant_uid {
            return Err(foreign(ENDPOINT, "order"));
        }
        Ok(prepared)
    }

    /// `DELETE /vbanks/{imp_uid}`: revokes a virtual account before the
    /// deposit; returns the payment after (`status: cancelled`).
    ///
    /// When the outcome is unknown (a timeout, a 5xx, a 401 after sending,
    /// a reply that does not show the payment cancelled), it reads the
    /// payment: `cancelled` means it happened; still `ready` means it did
    /// not, and the request is sent once more; anything else is an
    /// [`ErrorKind::CancelOutcomeUnknown`] error.
    pub async fn revoke_vbank(&self, imp_uid: &str) -> Result<Payment, Error> {
        const ENDPOINT: &str = "DELETE /vbanks/{imp_uid}";
        let call = &Call::new(ENDPOINT, Some(imp_uid), None);
        let send = move || async move {
            let url = self.url(ENDPOINT, "vbanks", &[imp_uid])?;
            let payment: Payment = self
                .call(call, ENDPOINT, Replay::Never, || {
                    self.shared.http.delete(&url)
                })
                .await?;
            if payment.imp_uid != imp_uid {
                return Err(foreign(ENDPOINT, "payment"));
            }
            if payment.status != Status::Cancelled {
                return Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the reply does not show the payment cancelled"));
            }
            Ok(payment)
        };
        let probe = move || async move {
            let payment = self.lookup(call, imp_uid, true).await?;
            Ok(match payment.status {
                Status::Cancelled => Probe::Applied(payment),
                Status::Ready => Probe::NotApplied,
                _ => {
                    Probe::Other("the payment is neither cancelled nor awaiting its deposit".into())
                }
            })
        };
        self.run(
            call,
            once(ENDPOINT, ErrorKind::CancelOutcomeUnknown, send, probe),
        )
        .await
    }

    /// `GET /certifications/{imp_uid}`: an identity verification's result.
    pub async fn certification(&self, imp_uid: &str) -> Result<Certification, Error> {
        let call = Call::new("GET /certifications/{imp_uid}", Some(imp_uid), None);
        self.run(&call, self.read_certification(&call, imp_uid))
            .await
    }

    async fn read_certification(&self, call: &Call, imp_uid: &str) -> Result<Certification, Error> {
        const ENDPOINT: &str = "GET /certifications/{imp_uid}";
        let url = self.url(ENDPOINT, "certifications", &[imp_uid])?;
        let certification: Certification = self
            .call(call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
            .await?;
        match certification.imp_uid == imp_uid {
            true => Ok(certification),
            false => Err(foreign(ENDPOINT, "certification")),
        }
    }

    /// `DELETE /certifications/{imp_uid}`: deletes an identity
    /// verification's personal data from PortOne and returns the result as
    /// it was. It is read first (an unknown one is an [`ErrorKind::Api`]
    /// error with HTTP status 404); when the deletion's outcome is
    /// unknown, a second read decides: gone means done, still there means
    /// the request is sent once more.
    pub async fn delete_certification(&self, imp_uid: &str) -> Result<Certification, Error> {
        const ENDPOINT: &str = "DELETE /certifications/{imp_uid}";
        let call = Call::new(ENDPOINT, Some(imp_uid), None);
        self.run(&call, async {
            let before = self.read_certification(&call, imp_uid).await?;
            let url = self.url(ENDPOINT, "certifications", &[imp_uid])?;
            let (call, url, before) = (&call, &url, &before);
            let send = move || async move {
                let deleted: Certification = self
                    .call(call, ENDPOINT, Replay::Never, || {
                        self.shared.http.delete(url)
                    })
                    .await?;
                match deleted.imp_uid == imp_uid {
                    true => Ok(deleted),
                    false => Err(foreign(ENDPOINT, "certification")),
                }
            };
            let probe = move || async move {
                match self.read_certification(call, imp_uid).await {
                    Ok(_) => Ok(Probe::NotApplied),
                    Err(error) if error.is_not_found() => Ok(Probe::Applied(before.clone())),
                    Err(error) => Err(error),
                }
            };
            once(ENDPOINT, ErrorKind::OutcomeUnknown, send, probe).await
        })
        .await
    }
}
