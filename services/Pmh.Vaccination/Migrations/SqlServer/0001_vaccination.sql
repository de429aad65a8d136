-- Every dose the hub knows: register rows from municipalities and doses submitted at reception.
CREATE TABLE vaccination_records (
    record_id         nvarchar(200) NOT NULL PRIMARY KEY,
    municipality_code varchar(6) NOT NULL,
    person_key        nvarchar(200) NOT NULL,
    vaccine           nvarchar(200) NOT NULL,
    dose_number       bigint NOT NULL,
    dose_date         bigint NOT NULL, -- yyyymmdd
    lot_number        nvarchar(200) NULL,
    institution_code  nvarchar(200) NULL,
    programme         nvarchar(200) NOT NULL,
    local_person_id   nvarchar(200) NULL,
    source            nvarchar(200) NOT NULL,    -- register | submission
    recorded_at       bigint NOT NULL  -- unix ms
);
CREATE INDEX ix_vaccination_records_person ON vaccination_records (person_key);

-- The municipality a person belongs to (the latest register upload that named them), and its number for them.
CREATE TABLE vaccination_person_municipality (
    person_key        varchar(64) NOT NULL PRIMARY KEY,
    municipality_code varchar(6) NOT NULL,
    local_person_id   nvarchar(200) NULL
);

-- Doses submitted by institutions, idempotent by (institution, submission id).
CREATE TABLE vaccination_submissions (
    institution_code  nvarchar(200) NOT NULL,
    submission_id     nvarchar(200) NOT NULL,
    fingerprint       nvarchar(200) NOT NULL,
    record_id         nvarchar(200) NOT NULL,
    municipality_code varchar(6) NOT NULL,
    sequence          bigint NOT NULL,
    PRIMARY KEY (institution_code, submission_id)
);

-- Each municipality's feed of submitted doses; sequences are handed out under a row lock on the head, so they
-- commit in order and a reader's cursor never skips one.
CREATE TABLE vaccination_feed_heads (
    municipality_code varchar(6) NOT NULL PRIMARY KEY,
    last_sequence     bigint NOT NULL
);
CREATE TABLE vaccination_feed (
    municipality_code varchar(6) NOT NULL,
    sequence          bigint NOT NULL,
    record_id         nvarchar(200) NOT NULL,
    person_key        nvarchar(200) NOT NULL,
    local_person_id   nvarchar(200) NULL,
    recorded_at       bigint NOT NULL,
    PRIMARY KEY (municipality_code, sequence)
);

CREATE TABLE vaccination_batches (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(200) NOT NULL,
    part_count        bigint NOT NULL,
    parts_received    bigint NOT NULL,
    row_count         bigint NOT NULL,
    status            nvarchar(200) NOT NULL,
    accepted_count    bigint NULL,
    applied_at        datetimeoffset NULL,
    PRIMARY KEY (municipality_code, batch_id)
);
CREATE TABLE vaccination_batch_parts (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(200) NOT NULL,
    part_index        bigint NOT NULL,
    payload           nvarchar(max) NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
