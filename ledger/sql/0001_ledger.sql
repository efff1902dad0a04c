-- portone-pg-ledger, schema version 1. The same SQL runs on SQLite and
-- Postgres. Amounts are exact decimal text (`1004`, `10.50`); times are
-- microseconds since the UNIX epoch; flags are 0 or 1.

CREATE TABLE IF NOT EXISTS portone_orders (
    merchant_uid TEXT PRIMARY KEY,
    reference TEXT,
    amount TEXT NOT NULL,
    currency TEXT NOT NULL,
    allow_sandbox BIGINT NOT NULL,
    state TEXT NOT NULL,
    imp_uid TEXT,
    cancelled_amount TEXT NOT NULL,
    attention TEXT,
    vbank_due BIGINT,
    opened_at BIGINT NOT NULL,
    checked_at BIGINT,
    version BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS portone_orders_due ON portone_orders (state, checked_at);

-- One row per state change, in order: (version, step) within an order.
CREATE TABLE IF NOT EXISTS portone_transitions (
    merchant_uid TEXT NOT NULL,
    version BIGINT NOT NULL,
    step BIGINT NOT NULL,
    from_state TEXT NOT NULL,
    to_state TEXT NOT NULL,
    door TEXT NOT NULL,
    imp_uid TEXT,
    at BIGINT NOT NULL,
    PRIMARY KEY (merchant_uid, version, step)
);

-- Each cancellation once, by PortOne's cancellation_id.
CREATE TABLE IF NOT EXISTS portone_cancellations (
    cancellation_id TEXT PRIMARY KEY,
    merchant_uid TEXT NOT NULL,
    imp_uid TEXT NOT NULL,
    amount TEXT NOT NULL,
    recorded_at BIGINT NOT NULL
);

CREATE INDEX IF NOT EXISTS portone_cancellations_order ON portone_cancellations (merchant_uid);

-- The paid order of each business reference.
CREATE TABLE IF NOT EXISTS portone_references (
    reference TEXT PRIMARY KEY,
    merchant_uid TEXT NOT NULL
);

-- The outbox: one row per effect, by a stable key; written in the
-- transaction of the change it announces.
CREATE TABLE IF NOT EXISTS portone_jobs (
    job_key TEXT PRIMARY KEY,
    merchant_uid TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT,
    created_at BIGINT NOT NULL,
    lease_until BIGINT,
    attempts BIGINT NOT NULL,
    done_at BIGINT
);

CREATE INDEX IF NOT EXISTS portone_jobs_open ON portone_jobs (done_at, created_at);

-- Refunds' idempotency keys.
CREATE TABLE IF NOT EXISTS portone_refund_keys (
    refund_key TEXT PRIMARY KEY,
    merchant_uid TEXT NOT NULL,
    checksum TEXT NOT NULL,
    lease_until BIGINT NOT NULL,
    done BIGINT NOT NULL
);

-- Every webhook delivery: when, from where, what, and the answer.
CREATE TABLE IF NOT EXISTS portone_deliveries (
    received_at BIGINT NOT NULL,
    source TEXT,
    body TEXT NOT NULL,
    imp_uid TEXT,
    result TEXT NOT NULL
);
