//! An integrator's crate that adds KG Inicis Japan, which portone-pg has no
//! schema for (its response code is not documented), from one schema file:
//! `schemas/pg/inicis_jp.toml`. Everything else is portone-pg's.
//!
//! ```
//! use own_schemas::{PaymentResponse, pg};
//!
//! let body = br#"{"imp_uid":"imp_100000000040","merchant_uid":"order-jp-40"}"#;
//! let PaymentResponse::InicisJp(jp) = PaymentResponse::from_json_with_pg("inicis_jp", body)? else {
//!     panic!("our own PG")
//! };
//! let paid: pg::InicisJpSuccess = jp.into_success()?;
//! assert_eq!(paid.imp_uid, "imp_100000000040");
//! # Ok::<(), portone_pg::Error>(())
//! ```

#![deny(missing_docs)]

portone_pg::extend_schemas!(dir = "schemas");
