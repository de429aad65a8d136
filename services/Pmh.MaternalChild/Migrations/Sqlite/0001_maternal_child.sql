-- Registered pregnancies (each has 14 checkup vouchers) and children (infant checkups).
CREATE TABLE mc_pregnancies (
    record_id         TEXT NOT NULL PRIMARY KEY,
    municipality_code TEXT NOT NULL,
    person_key        TEXT NOT NULL,
    due_date          INTEGER NOT NULL, -- yyyymmdd
    registered_on     INTEGER NOT NULL, -- yyyymmdd
    ended_on          INTEGER NULL,     -- yyyymmdd
    local_person_id   TEXT NULL
);
CREATE INDEX ix_mc_pregnancies_person ON mc_pregnancies (person_key);

CREATE TABLE mc_children (
    record_id           TEXT NOT NULL PRIMARY KEY,
    municipality_code   TEXT NOT NULL,
    person_key          TEXT NOT NULL,
    birth_date          INTEGER NOT NULL, -- yyyymmdd
    guardian_person_key TEXT NULL,
    pregnancy_record_id TEXT NULL,
    local_person_id     TEXT NULL
);
CREATE INDEX ix_mc_children_person ON mc_children (person_key);

-- A voucher is used once: the primary key decides between two institutions using it at the same moment.
CREATE TABLE mc_voucher_uses (
    pregnancy_record_id TEXT NOT NULL,
    voucher_number      INTEGER NOT NULL,
    used_on             INTEGER NOT NULL, -- yyyymmdd
    result_id           TEXT NOT NULL,
    PRIMARY KEY (pregnancy_record_id, voucher_number)
);

-- Checkup results (prenatal, with a voucher; infant), idempotent by (institution, submission id).
CREATE TABLE mc_submissions (
    institution_code  TEXT NOT NULL,
    submission_id     TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    result_id         TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    sequence          INTEGER NOT NULL,
    PRIMARY KEY (institution_code, submission_id)
);
CREATE TABLE mc_checkups (
    result_id         TEXT NOT NULL PRIMARY KEY,
    kind              TEXT NOT NULL, -- prenatal | infant
    checkup           TEXT NOT NULL, -- the voucher id, or the infant checkup code
    person_key        TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    local_person_id   TEXT NULL,
    checkup_date      INTEGER NOT NULL, -- yyyymmdd
    result            TEXT NOT NULL,    -- JSON of the result's items
    institution_code  TEXT NOT NULL,
    recorded_at       INTEGER NOT NULL  -- unix ms
);
CREATE INDEX ix_mc_checkups_person ON mc_checkups (person_key);

CREATE TABLE mc_feed_heads (
    municipality_code TEXT NOT NULL PRIMARY KEY,
    last_sequence     INTEGER NOT NULL
);
CREATE TABLE mc_feed (
    municipality_code TEXT NOT NULL,
    sequence          INTEGER NOT NULL,
    result_id         TEXT NOT NULL,
    PRIMARY KEY (municipality_code, sequence)
);

CREATE TABLE mc_batches (
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
CREATE TABLE mc_batch_parts (
    municipality_code TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    part_index        INTEGER NOT NULL,
    payload           TEXT NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
