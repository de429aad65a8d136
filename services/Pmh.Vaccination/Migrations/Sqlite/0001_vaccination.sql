-- Every dose the hub knows: register rows from municipalities and doses submitted at reception.
CREATE TABLE vaccination_records (
    record_id         TEXT NOT NULL PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    person_key        TEXT NOT NULL,
    vaccine           TEXT NOT NULL,
    dose_number       INTEGER NOT NULL,
    dose_date         INTEGER NOT NULL, -- yyyymmdd
    lot_number        TEXT NULL,
    institution_code  TEXT NULL,
    programme         TEXT NOT NULL,
    local_person_id   TEXT NULL,
    source            TEXT NOT NULL,    -- register | submission
    recorded_at       INTEGER NOT NULL  -- unix ms
);
CREATE INDEX ix_vaccination_records_person ON vaccination_records (person_key);

-- The municipality a person belongs to (the latest register upload that named them), and its number for them.
CREATE TABLE vaccination_person_municipality (
    person_key        TEXT NOT NULL PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    local_person_id   TEXT NULL
);

-- Doses submitted by institutions, idempotent by (institution, submission id).
CREATE TABLE vaccination_submissions (
    institution_code  TEXT NOT NULL,
    submission_id     TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    record_id         TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    sequence          INTEGER NOT NULL,
    PRIMARY KEY (institution_code, submission_id)
);

-- Each municipality's feed of submitted doses; sequences are handed out under a row lock on the head, so they
-- commit in order and a reader's cursor never skips one.
CREATE TABLE vaccination_feed_heads (
    municipality_code TEXT NOT NULL PRIMARY KEY,
    last_sequence     INTEGER NOT NULL
);
CREATE TABLE vaccination_feed (
    municipality_code TEXT NOT NULL,
    sequence          INTEGER NOT NULL,
    record_id         TEXT NOT NULL,
    person_key        TEXT NOT NULL,
    local_person_id   TEXT NULL,
    recorded_at       INTEGER NOT NULL,
    PRIMARY KEY (municipality_code, sequence)
);

CREATE TABLE vaccination_batches (
    municipality_code TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    part_count        INTEGER NOT NULL,
    parts_received    INTEGER NOT NULL,
    row_count         INTEGER NOT NULL,
    status            TEXT NOT NULL,
    accepted_count    INTEGER NULL,
    applied_at        TEXT NULL,
    PRIMARY KEY (municipality_code, batch_id)
);
CREATE TABLE vaccination_batch_parts (
    municipality_code TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    part_index        INTEGER NOT NULL,
    payload           TEXT NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
