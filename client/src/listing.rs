//! Lists: payments by status and time, one page at a time, and the standard
//! codes of banks and card companies
//! ([reference](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/schema/v1.openapi.yml#L3707)).

use portone_pg_core::Status;
use portone_pg_core::rest::{PaymentPage, StandardCode};

use crate::trace::Call;
use crate::transport::Replay;
use crate::{Client, Error, ErrorKind};

/// Which payments [`Client::payments_by_status`] lists: one status or all,
/// a time range, a page.
///
/// ```
/// use portone_pg_client::PaymentQuery;
/// use portone_pg_core::Status;
///
/// let query = PaymentQuery::status(Status::Paid).between(1_764_547_200, 1_767_225_600).page(2);
/// # let _ = query;
/// ```
#[derive(Clone, Debug)]
pub struct PaymentQuery {
    status: Option<Status>,
    from: Option<i64>,
    to: Option<i64>,
    page: u32,
    limit: u32,
    sorting: &'static str,
}

impl PaymentQuery {
    /// Payments of every status.
    pub fn all() -> Self {
        PaymentQuery {
            status: None,
            from: None,
            to: None,
            page: 1,
            limit: 20,
            sorting: "-started",
        }
    }

    /// Payments of `status`.
    pub fn status(status: Status) -> Self {
        PaymentQuery {
            status: Some(status),
            ..PaymentQuery::all()
        }
    }

    /// Started between `from` and `to` (UNIX seconds; PortOne limits the
    /// range to 90 days).
    pub fn between(mut self, from: i64, to: i64) -> Self {
        self.from = Some(from);
        self.to = Some(to);
        self
    }

    /// The page, from 1.
    pub fn page(mut self, page: u32) -> Self {
        self.page = page.max(1);
        self
    }

    /// Payments per page (default 20, at most 100).
    pub fn limit(mut self, limit: u32) -> Self {
        self.limit = limit.clamp(1, 100);
        self
    }

    /// Oldest first (by `started_at`) instead of newest first.
    pub fn oldest_first(mut self) -> Self {
        self.sorting = "started";
        self
    }
}

impl Client {
    /// `GET /payments/status/{payment_status}`: one page of payments. A
    /// payment of another status, or started outside the range, is an
    /// [`ErrorKind::Body`] error; follow [`PaymentPage::next`] for the rest.
    pub async fn payments_by_status(&self, query: &PaymentQuery) -> Result<PaymentPage, Error> {
        const ENDPOINT: &str = "GET /payments/status/{payment_status}";
        let call = Call::new(ENDPOINT, None, None);
        self.run(&call, async {
            let status = query.status.as_ref().map_or("all", Status::as_str);
            let mut url = self.url(ENDPOINT, "payments/status", &[status])?;
            url.push_str(&format!(
                "?page={}&limit={}&sorting={}",
                query.page, query.limit, query.sorting
            ));
            if let (Some(from), Some(to)) = (query.from, query.to) {
                url.push_str(&format!("&from={from}&to={to}"));
            }
            let page: PaymentPage = self
                .call(&call, ENDPOINT, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            let foreign = page.list.iter().flatten().any(|payment| {
                let started = payment.started_at.as_ref().and_then(|t| t.unix_seconds());
                query.status.as_ref().is_some_and(|s| *s != payment.status)
                    || matches!(
                        (query.from, query.to, started),
                        (Some(from), Some(to), Some(at)) if !(from..=to).contains(&at)
                    )
            });
            if foreign {
                return Err(Error::new(ErrorKind::Body, ENDPOINT)
                    .with_message("the page holds a payment outside the query"));
            }
            Ok(page)
        })
        .await
    }

    /// `GET /banks`: every bank's standard code and name.
    pub async fn banks(&self) -> Result<Vec<StandardCode>, Error> {
        self.codes("GET /banks", "banks").await
    }

    /// `GET /cards`: every card company's standard code and name.
    pub async fn cards(&self) -> Result<Vec<StandardCode>, Error> {
        self.codes("GET /cards", "cards").await
    }

    /// `GET /banks/{bank_standard_code}`: one bank's name.
    pub async fn bank(&self, code: &str) -> Result<StandardCode, Error> {
        self.code("GET /banks/{bank_standard_code}", "banks", code)
            .await
    }

    /// `GET /cards/{card_standard_code}`: one card company's name.
    pub async fn card(&self, code: &str) -> Result<StandardCode, Error> {
        self.code("GET /cards/{card_standard_code}", "cards", code)
            .await
    }

    async fn code(
        &self,
        endpoint: &'static str,
        path: &str,
        code: &str,
    ) -> Result<StandardCode, Error> {
        let call = Call::new(endpoint, None, None);
        self.run(&call, async {
            let url = self.url(endpoint, path, &[code])?;
            let found: StandardCode = self
                .call(&call, endpoint, Replay::Safe, || self.shared.http.get(&url))
                .await?;
            match found.code == code {
                true => Ok(found),
                false => Err(crate::endpoints::foreign(endpoint, "code")),
            }
        })
        .await
    }

    async fn codes(&self, endpoint: &'static str, path: &str) -> Result<Vec<StandardCode>, Error> {
        let call = Call::new(endpoint, None, None);
        self.run(&call, async {
            let url = format!("{}/{path}", self.shared.base);
            self.call(&call, endpoint, Replay::Safe, || self.shared.http.get(&url))
                .await
        })
        .await
    }
}
