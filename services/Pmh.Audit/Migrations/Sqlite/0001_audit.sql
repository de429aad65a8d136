-- Every access to personal data, and every refusal of one: append-only, one row per event, hash-chained.
-- hash = SHA-256 (hex) of the canonical serialisation of (sequence, every stored field, prev_hash).
CREATE TABLE audit_entries (
    sequence          INTEGER NOT NULL PRIMARY KEY,
    event_id          TEXT NOT NULL UNIQUE,
    occurred_at       INTEGER NOT NULL, -- unix ms
    participant_id    TEXT NOT NULL,
    participant_name  TEXT NOT NULL,
    participant_role  TEXT NOT NULL,
    participant_code  TEXT NULL,
    person_key        TEXT NULL,
    kinds             TEXT NOT NULL, -- JSON array
    purpose           TEXT NOT NULL,
    outcome           TEXT NOT NULL,
    detail            TEXT NULL,
    recorded_at       INTEGER NOT NULL, -- unix ms
    prev_hash         TEXT NOT NULL,
    hash              TEXT NOT NULL
);
CREATE INDEX ix_audit_entries_person ON audit_entries (person_key);

-- The chain's head: one row, locked by each append so appends are serialised and the chain stays linear.
CREATE TABLE audit_head (
    id            INTEGER NOT NULL PRIMARY KEY,
    last_sequence INTEGER NOT NULL,
    last_hash     TEXT NOT NULL
);
INSERT INTO audit_head (id, last_sequence, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
