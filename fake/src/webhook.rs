//! Webhook delivery: `imp_uid`, `merchant_uid`, `status` (and
//! `cancellation_id` after a cancel), as JSON or a form, to the merchant's
//! URL ([webhook guide](https://github.com/portone-io/developers.portone.io/blob/af926bd2cdd7c3c6ee6d2e1f636e9a1f3268df32/src/routes/(root)/opi/ko/integration/webhook/readme-v1.mdx)).

use std::sync::Arc;
use std::sync::atomic::Ordering;

use serde::Serialize;

use crate::Shared;
use crate::state::Payment;

/// The body format of webhooks (a console setting).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WebhookFormat {
    /// `application/json`.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
}

pub(crate) struct WebhookTarget {
    pub url: String,
    pub format: WebhookFormat,
}

/// The body of one webhook.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct WebhookStatus {
    imp_uid: String,
    merchant_uid: String,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    cancellation_id: Option<String>,
    /// The payment's own URL, over the console's.
    #[serde(skip)]
    notice_url: Option<String>,
}

impl WebhookStatus {
    pub(crate) fn of(payment: &Payment) -> Self {
        WebhookStatus {
            imp_uid: payment.imp_uid.clone(),
            merchant_uid: payment.merchant_uid.clone(),
            status: payment.status,
            cancellation_id: payment
                .cancel_history
                .last()
                .map(|c| c.cancellation_id.clone()),
            notice_url: payment.notice_url.clone(),
        }
    }
}

/// One webhook the fake tried to deliver.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebhookDelivery {
    /// The payment's id.
    pub imp_uid: String,
    /// The order's id.
    pub merchant_uid: String,
    /// The status announced.
    pub status: String,
    /// The body format used.
    pub format: WebhookFormat,
    /// The receiver's HTTP status; `None` when the delivery failed.
    pub http_status: Option<u16>,
}

impl Shared {
    /// Sends one webhook to the configured URL and records the attempt.
    pub(crate) async fn deliver_webhook(&self, status: WebhookStatus) -> Option<u16> {
        let (url, format) = {
            let target = self.webhook.lock().unwrap_or_else(|e| e.into_inner());
            match (&status.notice_url, target.as_ref()) {
                (Some(url), target) => (
                    url.clone(),
                    target.map_or(WebhookFormat::Json, |t| t.format),
                ),
                (None, Some(target)) => (target.url.clone(), target.format),
                (None, None) => return None,
            }
        };
        let lost = self
            .lost
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
            .is_ok();
        let request = self.http.post(url);
        let request = match format {
            WebhookFormat::Json => request
                .header("content-type", "application/json")
                .body(serde_json::to_string(&status).unwrap_or_default()),
            WebhookFormat::Form => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(serde_urlencoded::to_string(&status).unwrap_or_default()),
        };
        let http_status = match lost {
            true => None,
            false => request.send().await.ok().map(|r| r.status().as_u16()),
        };
        self.deliveries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(WebhookDelivery {
                imp_uid: status.imp_uid,
                merchant_uid: status.merchant_uid,
                status: status.status.to_owned(),
                format,
                http_status,
            });
        http_status
    }

    /// Delivers a webhook on its own task, without holding up the reply
    /// that caused it (PortOne does not wait either).
    pub(crate) fn spawn_webhook(self: &Arc<Shared>, status: WebhookStatus) {
        let shared = Arc::clone(self);
        tokio::spawn(async move {
            shared.deliver_webhook(status).await;
        });
    }
}
