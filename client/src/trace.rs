//! A span per API call with the `tracing` feature; nothing without it.
//!
//! Fields are the endpoint (a template), `imp_uid`, `merchant_uid`, the HTTP
//! status and the API's code: never a token, a key or personal data.

use std::future::Future;

/// One API call's span.
pub(crate) struct Call {
    #[cfg(feature = "tracing")]
    span: tracing::Span,
}

impl Call {
    #[cfg(feature = "tracing")]
    pub(crate) fn new(
        endpoint: &'static str,
        imp_uid: Option<&str>,
        merchant_uid: Option<&str>,
    ) -> Self {
        Call {
            span: tracing::info_span!(
                "portone_v1",
                endpoint,
                imp_uid,
                merchant_uid,
                http.status = tracing::field::Empty,
                api.code = tracing::field::Empty,
            ),
        }
    }

    #[cfg(not(feature = "tracing"))]
    pub(crate) fn new(
        _endpoint: &'static str,
        _imp_uid: Option<&str>,
        _merchant_uid: Option<&str>,
    ) -> Self {
        Call {}
    }

    pub(crate) fn status(&self, _status: u16) {
        #[cfg(feature = "tracing")]
        self.span.record("http.status", _status);
    }

    pub(crate) fn code(&self, _code: i64) {
        #[cfg(feature = "tracing")]
        self.span.record("api.code", _code);
    }

    /// Runs `future` inside the span.
    pub(crate) async fn run<F: Future>(&self, future: F) -> F::Output {
        #[cfg(feature = "tracing")]
        {
            tracing::Instrument::instrument(future, self.span.clone()).await
        }
        #[cfg(not(feature = "tracing"))]
        {
            future.await
        }
    }
}
