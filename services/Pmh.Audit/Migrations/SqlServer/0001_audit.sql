-- Every access to personal data, and every refusal of one: append-only, one row per event, hash-chained.
-- hash = SHA-256 (hex) of the canonical serialisation of (sequence, every stored field, prev_hash).
CREATE TABLE audit_entries (
    sequence          bigint NOT NULL PRIMARY KEY,
    event_id          varchar(36) NOT NULL UNIQUE,
    occurred_at       bigint NOT NULL, -- unix ms
    participant_id    nvarchar(200) NOT NULL,
    participant_name  nvarchar(400) NOT NULL,
    participant_role  nvarchar(100) NOT NULL,
    participant_code  nvarchar(100) NULL,
    person_key        varchar(64) NULL,
    kinds             nvarchar(max) NOT NULL, -- JSON array
    purpose           nvarchar(max) NOT NULL,
    outcome           nvarchar(100) NOT NULL,
    detail            nvarchar(max) NULL,
    recorded_at       bigint NOT NULL, -- unix ms
    prev_hash         char(64) NOT NULL,
    hash              char(64) NOT NULL
);
CREATE INDEX ix_audit_entries_person ON audit_entries (person_key);

-- The chain's head: one row, locked by each append so appends are serialised and the chain stays linear.
CREATE TABLE audit_head (
    id            integer NOT NULL PRIMARY KEY,
    last_sequence bigint NOT NULL,
    last_hash     char(64) NOT NULL
);
INSERT INTO audit_head (id, last_sequence, last_hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
