-- Registered pregnancies (each has 14 checkup vouchers) and children (infant checkups).
CREATE TABLE mc_pregnancies (
    record_id         varchar(200) NOT NULL PRIMARY KEY,
    municipality_code varchar(6) NOT NULL,
    person_key        varchar(64) NOT NULL,
    due_date          bigint NOT NULL, -- yyyymmdd
    registered_on     bigint NOT NULL, -- yyyymmdd
    ended_on          bigint NULL,     -- yyyymmdd
    local_person_id   nvarchar(200) NULL
);
CREATE INDEX ix_mc_pregnancies_person ON mc_pregnancies (person_key);

CREATE TABLE mc_children (
    record_id           varchar(200) NOT NULL PRIMARY KEY,
    municipality_code   nvarchar(200) NOT NULL,
    person_key          varchar(64) NOT NULL,
    birth_date          bigint NOT NULL, -- yyyymmdd
    guardian_person_key varchar(64) NULL,
    pregnancy_record_id nvarchar(200) NULL,
    local_person_id     nvarchar(200) NULL
);
CREATE INDEX ix_mc_children_person ON mc_children (person_key);

-- A voucher is used once: the primary key decides between two institutions using it at the same moment.
CREATE TABLE mc_voucher_uses (
    pregnancy_record_id nvarchar(200) NOT NULL,
    voucher_number      bigint NOT NULL,
    used_on             bigint NOT NULL, -- yyyymmdd
    result_id           nvarchar(200) NOT NULL,
    PRIMARY KEY (pregnancy_record_id, voucher_number)
);

-- Checkup results (prenatal, with a voucher; infant), idempotent by (institution, submission id).
CREATE TABLE mc_submissions (
    institution_code  nvarchar(200) NOT NULL,
    submission_id     nvarchar(200) NOT NULL,
    fingerprint       nvarchar(200) NOT NULL,
    result_id         nvarchar(200) NOT NULL,
    municipality_code varchar(6) NOT NULL,
    sequence          bigint NOT NULL,
    PRIMARY KEY (institution_code, submission_id)
);
CREATE TABLE mc_checkups (
    result_id         varchar(200) NOT NULL PRIMARY KEY,
    kind              nvarchar(200) NOT NULL, -- prenatal | infant
    checkup           nvarchar(200) NOT NULL, -- the voucher id, or the infant checkup code
    person_key        varchar(64) NOT NULL,
    municipality_code varchar(6) NOT NULL,
    local_person_id   nvarchar(200) NULL,
    checkup_date      bigint NOT NULL, -- yyyymmdd
    result            nvarchar(max) NOT NULL,    -- JSON of the result's items
    institution_code  nvarchar(200) NOT NULL,
    recorded_at       bigint NOT NULL  -- unix ms
);
CREATE INDEX ix_mc_checkups_person ON mc_checkups (person_key);

CREATE TABLE mc_feed_heads (
    municipality_code varchar(6) NOT NULL PRIMARY KEY,
    last_sequence     bigint NOT NULL
);
CREATE TABLE mc_feed (
    municipality_code varchar(6) NOT NULL,
    sequence          bigint NOT NULL,
    result_id         nvarchar(200) NOT NULL,
    PRIMARY KEY (municipality_code, sequence)
);

CREATE TABLE mc_batches (
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
CREATE TABLE mc_batch_parts (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(200) NOT NULL,
    part_index        bigint NOT NULL,
    payload           nvarchar(max) NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
