// Schema history. Each entry migrates from version i to i+1 (PRAGMA user_version). Names of the
// tables `refunds`, `orders` and `decisions` and their documented columns are a public contract
// (README "The database"): add columns freely, never rename or drop one without a migration note.

export const MIGRATIONS: readonly string[] = [
  // 0 -> 1
  `
  CREATE TABLE refunds (
    refund_id          TEXT PRIMARY KEY,
    platform           TEXT NOT NULL,
    order_id           TEXT NOT NULL,
    status             TEXT NOT NULL,
    status_text        TEXT NOT NULL,
    amount_cents       INTEGER NOT NULL,
    paid_cents         INTEGER,
    applied_at         TEXT,
    export_deadline    TEXT,
    refund_type        TEXT,
    return_required    INTEGER,
    goods_status       TEXT,
    shipped            INTEGER,
    phase              TEXT,
    dispute_state      TEXT NOT NULL DEFAULT 'none',
    dispute_text       TEXT,
    evidence_deadline  TEXT,
    buyer_nick         TEXT,
    item_title         TEXT,
    sku                TEXT,
    reason             TEXT,
    buyer_note         TEXT,
    return_waybill     TEXT,
    return_waybill_key TEXT,
    return_carrier     TEXT,
    returned_at        TEXT,
    finished_at        TEXT,
    seller_note        TEXT,
    extra_json         TEXT,
    row_hash           TEXT NOT NULL,
    status_since       TEXT NOT NULL,
    first_seen_at      TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    source_file        TEXT
  );
  CREATE INDEX refunds_open ON refunds(status) WHERE status NOT IN ('CLOSED', 'SUCCESS');
  CREATE INDEX refunds_order ON refunds(order_id);
  CREATE INDEX refunds_waybill ON refunds(return_waybill_key) WHERE return_waybill_key IS NOT NULL;
  CREATE INDEX refunds_finished ON refunds(finished_at) WHERE finished_at IS NOT NULL;

  CREATE TABLE refund_history (
    id          INTEGER PRIMARY KEY,
    refund_id   TEXT NOT NULL,
    status      TEXT NOT NULL,
    status_text TEXT NOT NULL,
    seen_at     TEXT NOT NULL,
    source_file TEXT
  );
  CREATE INDEX refund_history_refund ON refund_history(refund_id, id);

  CREATE TABLE orders (
    order_id      TEXT PRIMARY KEY,
    platform      TEXT NOT NULL,
    buyer_nick    TEXT,
    status        TEXT,
    status_text   TEXT,
    paid_cents    INTEGER,
    postage_cents INTEGER,
    total_cents   INTEGER,
    created_at    TEXT,
    paid_at       TEXT,
    shipped       INTEGER,
    waybill       TEXT,
    carrier       TEXT,
    receiver_name TEXT,
    address       TEXT,
    phone         TEXT,
    buyer_message TEXT,
    item_title    TEXT,
    quantity      INTEGER,
    shop_name     TEXT,
    close_reason  TEXT,
    extra_json    TEXT,
    row_hash      TEXT NOT NULL,
    first_seen_at TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    source_file   TEXT
  );
  CREATE INDEX orders_paid ON orders(paid_at);

  CREATE TABLE decisions (
    id                   INTEGER PRIMARY KEY AUTOINCREMENT,
    refund_id            TEXT NOT NULL,
    action               TEXT NOT NULL,
    amount_cents         INTEGER,
    note                 TEXT,
    evidence_json        TEXT NOT NULL DEFAULT '[]',
    agent                TEXT NOT NULL,
    decided_at           TEXT NOT NULL,
    status_at_decision   TEXT,
    expected_status_json TEXT,
    checklist_json       TEXT NOT NULL DEFAULT '[]',
    buyer_message        TEXT,
    source               TEXT NOT NULL
  );
  CREATE INDEX decisions_refund ON decisions(refund_id, id);
  CREATE INDEX decisions_time ON decisions(decided_at);

  CREATE TABLE warehouse_receipts (
    id          INTEGER PRIMARY KEY,
    waybill     TEXT NOT NULL,
    waybill_key TEXT NOT NULL,
    carrier     TEXT,
    received_at TEXT NOT NULL,
    sku         TEXT,
    quantity    INTEGER,
    condition   TEXT NOT NULL,
    inspector   TEXT,
    note        TEXT,
    source      TEXT NOT NULL,
    row_hash    TEXT NOT NULL UNIQUE,
    recorded_at TEXT NOT NULL
  );
  CREATE INDEX warehouse_receipts_key ON warehouse_receipts(waybill_key);

  CREATE TABLE claims (
    refund_id  TEXT PRIMARY KEY,
    agent      TEXT NOT NULL,
    session    TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  );

  CREATE TABLE snoozes (
    refund_id TEXT NOT NULL,
    agent     TEXT NOT NULL,
    until     TEXT NOT NULL,
    PRIMARY KEY (refund_id, agent)
  );

  CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    file        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    encoding    TEXT NOT NULL,
    bytes       INTEGER,
    imported_at TEXT NOT NULL,
    inserted    INTEGER NOT NULL,
    updated     INTEGER NOT NULL,
    unchanged   INTEGER NOT NULL,
    rejected    INTEGER NOT NULL
  );
  `,
  // 1 -> 2: each open refund's deadline, computed by the domain when its data changes (it does not
  // depend on "now"), so the morning sweep can rank 200,000 refunds in SQL.
  `
  ALTER TABLE refunds ADD COLUMN deadline_at INTEGER;
  ALTER TABLE refunds ADD COLUMN deadline_source TEXT;
  ALTER TABLE refunds ADD COLUMN deadline_rule TEXT;
  ALTER TABLE refunds ADD COLUMN waiting_on TEXT;
  ALTER TABLE refunds ADD COLUMN at_timeout TEXT;
  -- Covers the sweep's ranking of open refunds without reading the (wide) rows themselves.
  CREATE INDEX refunds_open_rank ON refunds(status, waiting_on, deadline_at, platform, refund_id)
    WHERE status NOT IN ('CLOSED', 'SUCCESS');
  CREATE INDEX refunds_needing_deadline ON refunds(refund_id) WHERE status NOT IN ('CLOSED', 'SUCCESS') AND waiting_on IS NULL;
  -- No query can use it (reports compare julianday(coalesce(finished_at, status_since))), and every
  -- finished refund paid for it on import.
  DROP INDEX refunds_finished;
  CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // 2 -> 3: a re-import compares a row's columns with the stored ones instead of a hash of them
  // (hashing cost the parsing worker a quarter of its time); refunds_open_rank starts with status
  // under the same WHERE, so it serves every query refunds_open did; purged_at.
  `
  ALTER TABLE refunds DROP COLUMN row_hash;
  ALTER TABLE orders DROP COLUMN row_hash;
  DROP INDEX refunds_open;
  -- When purge erased the row's personal data: an import of an older export must not bring it back.
  ALTER TABLE refunds ADD COLUMN purged_at TEXT;
  ALTER TABLE orders ADD COLUMN purged_at TEXT;
  `,
  // 3 -> 4: buyer history (store/buyerHistory.ts): a buyer's refunds and orders found by the
  // platform's buyer identity; the buyer flags a decision was taken with.
  `
  CREATE INDEX refunds_buyer ON refunds(buyer_nick, platform) WHERE buyer_nick IS NOT NULL;
  CREATE INDEX orders_buyer ON orders(buyer_nick, platform) WHERE buyer_nick IS NOT NULL;
  ALTER TABLE decisions ADD COLUMN flags_json TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
