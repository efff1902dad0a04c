//! The keys real callbacks were seen with, per PG and outcome: generated
//! from the bundled captures (`tests/fixtures/callbacks`, the `real` and
//! `documented` ones) by `fake/tests/observed.rs`; regenerate with
//! `UPDATE_OBSERVED=1 cargo test -p portone-pg-fake --test observed`.

/// (PG code, success, the keys seen).
#[rustfmt::skip]
pub(crate) const OBSERVED: &[(&str, bool, &[&str])] = &[
    ("danal_tpay", true, &["apply_num", "buyer_addr", "buyer_email", "buyer_name", "buyer_postcode", "buyer_tel", "card_name", "card_number", "card_quota", "currency", "imp_uid", "merchant_uid", "name", "paid_amount", "paid_at", "pay_method", "pg_provider", "pg_tid", "pg_type", "receipt_url", "status", "success"]),
    ("daou", true, &["imp_uid", "merchant_uid", "success"]),
    ("html5_inicis", false, &["error_msg", "imp_uid", "merchant_uid", "pay_method", "pg_provider", "pg_type", "success"]),
    ("html5_inicis", true, &["apply_num", "buyer_addr", "buyer_email", "buyer_name", "buyer_postcode", "buyer_tel", "card_name", "card_number", "card_quota", "currency", "custom_data", "customer_uid", "imp_uid", "merchant_uid", "name", "paid_amount", "paid_at", "pay_method", "pg_provider", "pg_tid", "pg_type", "receipt_url", "request_id", "status", "success", "vbank_date", "vbank_holder", "vbank_name", "vbank_num"]),
    ("kakaopay", false, &["error_code", "error_msg", "imp_uid", "merchant_uid", "success"]),
    ("kakaopay", true, &["apply_num", "buyer_addr", "buyer_email", "buyer_name", "buyer_postcode", "buyer_tel", "card_number", "card_quota", "currency", "customer_uid", "imp_uid", "merchant_uid", "name", "paid_amount", "paid_at", "pay_method", "pg_provider", "pg_tid", "pg_type", "receipt_url", "status", "success"]),
    ("kcp", true, &["apply_num", "buyer_addr", "buyer_email", "buyer_name", "buyer_postcode", "buyer_tel", "card_name", "card_number", "card_quota", "currency", "imp_uid", "merchant_uid", "name", "paid_amount", "paid_at", "pay_method", "pg_provider", "pg_tid", "pg_type", "receipt_url", "status", "success"]),
    ("nice", false, &["error_msg", "imp_uid", "merchant_uid", "success"]),
    ("nice", true, &["apply_num", "buyer_addr", "buyer_email", "buyer_name", "buyer_postcode", "buyer_tel", "card_name", "card_number", "card_quota", "currency", "imp_uid", "merchant_uid", "name", "paid_amount", "paid_at", "pay_method", "pg_provider", "pg_tid", "pg_type", "receipt_url", "status", "success"]),
    ("tosspay", true, &["apply_num", "bank_name", "buyer_addr", "buyer_email", "buyer_name", "buyer_postcode", "buyer_tel", "card_name", "card_number", "card_quota", "currency", "imp_uid", "merchant_uid", "name", "paid_amount", "paid_at", "pay_method", "pg_provider", "pg_tid", "pg_type", "receipt_url", "status", "success"]),
];
