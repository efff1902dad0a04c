//! The V1 webhook (notification) body: JSON or a form, as the console is set.

use crate::error::{Error, ErrorKind};
use crate::parse::object::json_object;
use crate::parse::query::{self, Repeats};
use crate::value::KeptValue;
use crate::value::Status;

json_object! {
    /// A webhook PortOne sent to your server: which payment changed and its
    /// new status. Like the callback it proves nothing by itself — it can be
    /// forged by anyone who knows your URL — so fetch
    /// `GET /payments/{imp_uid}` and [`verify`](crate::rest::Payment::verify) it.
    ///
    /// ```
    /// # use portone_pg_core as portone_pg;
    /// use portone_pg::{Status, Webhook};
    ///
    /// let json = Webhook::from_body("application/json; charset=utf-8",
    ///     br#"{"imp_uid":"imp_1234567890","merchant_uid":"order_id_8237352","status":"paid"}"#)?;
    /// let form = Webhook::from_body("application/x-www-form-urlencoded",
    ///     b"imp_uid=imp_1234567890&merchant_uid=order_id_8237352&status=paid")?;
    /// assert_eq!(json, form);
    /// assert_eq!(json.status(), Status::Paid);
    /// assert_eq!(json.imp_uid(), "imp_1234567890");
    /// # Ok::<(), portone_pg::Error>(())
    /// ```
    pub struct Webhook ("webhook", unknown = unknown) {
        /// The payment's id.
        imp_uid: String, id;
        /// The order's id.
        merchant_uid: String, id;
        /// The new status: `paid`, `ready` (virtual account issued),
        /// `failed` (scheduled payments only), `cancelled`.
        status: Status, required;
        /// The cancellation's id, on `cancelled` (since 2024-02).
        cancellation_id: String, optional;
        /// A special event (`Inicis.Escrow.Changed`, `Galaxia.Cvs.Confirm`).
        event: String, optional;
        /// The event's details, as received (`escrow_status`, `barcode`, …),
        /// numbers digit for digit.
        extra: KeptValue, optional;
    }
}

impl Webhook {
    /// Parses a form-encoded body (`imp_uid=…&merchant_uid=…&status=paid`).
    ///
    /// # Errors
    ///
    /// Malformed percent-encoding, bytes that are not UTF-8, a key received
    /// twice, a missing required property.
    pub fn from_form(body: &[u8]) -> Result<Self, Error> {
        let text = std::str::from_utf8(body).map_err(|e| {
            Error::new(
                ErrorKind::Syntax,
                format!("the form body is not UTF-8: {e}"),
            )
        })?;
        Webhook::from_object(&query::parse_with(text, Repeats::Refuse)?)
    }

    /// Parses a body by its `Content-Type`: JSON or a form.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::InvalidValue`] for any other content type, and the
    /// errors of [`from_json`](Self::from_json) and [`from_form`](Self::from_form).
    pub fn from_body(content_type: &str, body: &[u8]) -> Result<Self, Error> {
        let media = content_type.split(';').next().unwrap_or("").trim();
        if media.eq_ignore_ascii_case("application/json") {
            Self::from_json(body)
        } else if media.eq_ignore_ascii_case("application/x-www-form-urlencoded") {
            Self::from_form(body)
        } else {
            Err(Error::new(
                ErrorKind::InvalidValue,
                format!("content type {content_type:?}: expected application/json or application/x-www-form-urlencoded"),
            )
            .with_field("content-type"))
        }
    }

    /// The payment's id.
    pub fn imp_uid(&self) -> &str {
        &self.imp_uid
    }

    /// The order's id.
    pub fn merchant_uid(&self) -> &str {
        &self.merchant_uid
    }

    /// The new status.
    pub fn status(&self) -> Status {
        self.status.clone()
    }
}
