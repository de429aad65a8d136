-- Every dose the hub knows: register rows from municipalities and doses submitted at reception.
CREATE TABLE vaccination_records (
    record_id         text NOT NULL PRIMARY KEY,
    municipality_code text NOT NULL,
    person_key        text NOT NULL,
    vaccine           text NOT NULL,
    dose_number       integer NOT NULL,
    dose_date         integer NOT NULL, -- yyyymmdd
    lot_number        text NULL,
    institution_code  text NULL,
    programme         text NOT NULL,
    local_person_id   text NULL,
    source            text NOT NULL,    -- register | submission
    recorded_at       bigint NOT NULL  -- unix ms
);
CREATE INDEX ix_vaccination_records_person ON vaccination_records (person_key);

-- The municipality a person belongs to (the latest register upload that named them), and its number for them.
CREATE TABLE vaccination_person_municipality (
    person_key        text NOT NULL PRIMARY KEY,
    municipality_code text NOT NULL,
    local_person_id   text NULL
);

-- Doses submitted by institutions, idempotent by (institution, submission id).
CREATE TABLE vaccination_submissions (
    institution_code  text NOT NULL,
    submission_id     text NOT NULL,
    fingerprint       text NOT NULL,
    record_id         text NOT NULL,
    municipality_code text NOT NULL,
    sequence          bigint NOT NULL,
    PRIMARY KEY (institution_code, submission_id)
);

-- Each municipality's feed of submitted doses; sequences are handed out under a row lock on the head, so they
-- commit in order and a reader's cursor never skips one.
CREATE TABLE vaccination_feed_heads (
    municipality_code text NOT NULL PRIMARY KEY,
    last_sequence     bigint NOT NULL
);
CREATE TABLE vaccination_feed (
    municipality_code text NOT NULL,
    sequence          bigint NOT NULL,
    record_id         text NOT NULL,
    person_key        text NOT NULL,
    local_person_id   text NULL,
    recorded_at       bigint NOT NULL,
    PRIMARY KEY (municipality_code, sequence)
);

CREATE TABLE vaccination_batches (
    municipality_code text NOT NULL,
    batch_id          text NOT NULL,
    part_count        integer NOT NULL,
    parts_received    integer NOT NULL,
    row_count         integer NOT NULL,
    status            text NOT NULL,
    accepted_count    integer NULL,
    applied_at        timestamptz NULL,
    PRIMARY KEY (municipality_code, batch_id)
);
CREATE TABLE vaccination_batch_parts (
    municipality_code text NOT NULL,
    batch_id          text NOT NULL,
    part_index        integer NOT NULL,
    payload           text NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
