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
  // 4 -> 5 (issue 18): the export's unmapped columns stored lean. extra_json held the column names
  // on every row (377 bytes a row, five of eleven cells the seller's own, alike on every row). Now
  // a layout per file in import_columns (the names once, the file's constant cells once) and the
  // row's own cells as a JSON array; the views refunds_extra / orders_extra give extra_json back.
  `
  CREATE TABLE import_columns (
    id             INTEGER PRIMARY KEY,
    -- The unmapped columns of a file, in file order (JSON array of names).
    columns_json   TEXT NOT NULL,
    -- Per column: its index in a row's extra_values, or null when the file holds it constant.
    slots_json     TEXT NOT NULL,
    -- Per column: the cell every row of the file has (null: it varies, or is empty everywhere).
    constants_json TEXT NOT NULL,
    UNIQUE (columns_json, slots_json, constants_json)
  );
  ALTER TABLE refunds ADD COLUMN extra_columns INTEGER REFERENCES import_columns(id);
  ALTER TABLE refunds ADD COLUMN extra_values TEXT;
  ALTER TABLE orders ADD COLUMN extra_columns INTEGER REFERENCES import_columns(id);
  ALTER TABLE orders ADD COLUMN extra_values TEXT;

  -- Rows stored before keep every cell: each set of names is a layout whose columns all vary.
  CREATE TEMP TABLE old_extras AS
    SELECT 'refunds' AS tbl, rowid AS row, extra_json AS obj, (SELECT json_group_array(key) FROM json_each(extra_json)) AS cols
    FROM refunds WHERE extra_json IS NOT NULL AND json_valid(extra_json) AND extra_json <> '{}'
    UNION ALL
    SELECT 'orders', rowid, extra_json, (SELECT json_group_array(key) FROM json_each(extra_json))
    FROM orders WHERE extra_json IS NOT NULL AND json_valid(extra_json) AND extra_json <> '{}';
  INSERT OR IGNORE INTO import_columns (columns_json, slots_json, constants_json)
    SELECT cols, (SELECT json_group_array(key) FROM json_each(cols)), (SELECT json_group_array(NULL) FROM json_each(cols))
    FROM (SELECT DISTINCT cols FROM old_extras);
  UPDATE refunds SET extra_columns = c.id, extra_values = (SELECT json_group_array(value) FROM json_each(x.obj))
    FROM old_extras x JOIN import_columns c ON c.columns_json = x.cols
      AND c.slots_json = (SELECT json_group_array(key) FROM json_each(x.cols))
      AND c.constants_json = (SELECT json_group_array(NULL) FROM json_each(x.cols))
    WHERE x.tbl = 'refunds' AND x.row = refunds.rowid;
  UPDATE orders SET extra_columns = c.id, extra_values = (SELECT json_group_array(value) FROM json_each(x.obj))
    FROM old_extras x JOIN import_columns c ON c.columns_json = x.cols
      AND c.slots_json = (SELECT json_group_array(key) FROM json_each(x.cols))
      AND c.constants_json = (SELECT json_group_array(NULL) FROM json_each(x.cols))
    WHERE x.tbl = 'orders' AND x.row = orders.rowid;
  DROP TABLE old_extras;
  ALTER TABLE refunds DROP COLUMN extra_json;
  ALTER TABLE orders DROP COLUMN extra_json;

  -- extra_json as it was: a JSON object, column name -> cell, in file order, empty cells left out.
  CREATE VIEW refunds_extra AS
    SELECT r.refund_id, (
      SELECT nullif(json_group_object(name, cell), '{}') FROM (
        SELECT c.value AS name,
          coalesce(json_extract(r.extra_values, '$[' || json_extract(l.slots_json, '$[' || c.key || ']') || ']'),
                   json_extract(l.constants_json, '$[' || c.key || ']')) AS cell
        FROM json_each(l.columns_json) c)
      WHERE cell IS NOT NULL AND cell <> '') AS extra_json
    FROM refunds r JOIN import_columns l ON l.id = r.extra_columns;
  CREATE VIEW orders_extra AS
    SELECT o.order_id, (
      SELECT nullif(json_group_object(name, cell), '{}') FROM (
        SELECT c.value AS name,
          coalesce(json_extract(o.extra_values, '$[' || json_extract(l.slots_json, '$[' || c.key || ']') || ']'),
                   json_extract(l.constants_json, '$[' || c.key || ']')) AS cell
        FROM json_each(l.columns_json) c)
      WHERE cell IS NOT NULL AND cell <> '') AS extra_json
    FROM orders o JOIN import_columns l ON l.id = o.extra_columns;
  `,
  // 5 -> 6 (issue 18): the report windows' times as numbers (epoch ms), kept by SQLite itself from
  // the ISO text, and one index: a window's refunds are a range, not a scan of the whole history.
  // applied_ms: coalesce(applied_at, first_seen_at); finished_ms: coalesce(finished_at,
  // status_since) of a finished refund (NULL while open); active_ms: the later of the two, so one
  // range holds every refund applied or finished in a window. Only active_ms is indexed, so only it
  // is worked out on every write: one julianday(), the later time picked by its text. Stored times
  // carry the shop's offset, and when two offsets differ the pick is off by at most 26 hours
  // (UTC-12 to UTC+14): the reports start their range 27 hours early (store/reports.ts).
  `
  ALTER TABLE refunds ADD COLUMN applied_ms INTEGER
    GENERATED ALWAYS AS (CAST(round((julianday(coalesce(applied_at, first_seen_at)) - 2440587.5) * 86400000) AS INTEGER)) VIRTUAL;
  ALTER TABLE refunds ADD COLUMN finished_ms INTEGER
    GENERATED ALWAYS AS (CASE WHEN status IN ('SUCCESS', 'CLOSED')
      THEN CAST(round((julianday(coalesce(finished_at, status_since)) - 2440587.5) * 86400000) AS INTEGER) END) VIRTUAL;
  ALTER TABLE refunds ADD COLUMN active_ms INTEGER
    GENERATED ALWAYS AS (CAST(round((julianday(CASE
      WHEN status IN ('SUCCESS', 'CLOSED') AND coalesce(finished_at, status_since) > coalesce(applied_at, first_seen_at)
      THEN coalesce(finished_at, status_since) ELSE coalesce(applied_at, first_seen_at) END) - 2440587.5) * 86400000) AS INTEGER)) VIRTUAL;
  CREATE INDEX refunds_active ON refunds(active_ms);
  `,
  // 6 -> 7 (issue 18): refunds_open_rank also holds amount_cents, so the summary's facts of every
  // open refund (state, waiting on, deadline, amount, app/summarySweep.ts) come from the index
  // alone: on a two-year history the open refunds' rows lie all over the file, and reading 20,745
  // of them for their amounts took a tenth of `refunds summary`. Same name, same WHERE.
  `
  DROP INDEX refunds_open_rank;
  CREATE INDEX refunds_open_rank ON refunds(status, waiting_on, deadline_at, platform, refund_id, amount_cents)
    WHERE status NOT IN ('CLOSED', 'SUCCESS');
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;
