-- Registered pregnancies (each has 14 checkup vouchers) and children (infant checkups).
CREATE TABLE mc_pregnancies (
    record_id         text NOT NULL PRIMARY KEY,
    municipality_code text NOT NULL,
    person_key        text NOT NULL,
    due_date          integer NOT NULL, -- yyyymmdd
    registered_on     integer NOT NULL, -- yyyymmdd
    ended_on          integer NULL,     -- yyyymmdd
    local_person_id   text NULL
);
CREATE INDEX ix_mc_pregnancies_person ON mc_pregnancies (person_key);

CREATE TABLE mc_children (
    record_id           text NOT NULL PRIMARY KEY,
    municipality_code   text NOT NULL,
    person_key          text NOT NULL,
    birth_date          integer NOT NULL, -- yyyymmdd
    guardian_person_key text NULL,
    pregnancy_record_id text NULL,
    local_person_id     text NULL
);
CREATE INDEX ix_mc_children_person ON mc_children (person_key);

-- A voucher is used once: the primary key decides between two institutions using it at the same moment.
CREATE TABLE mc_voucher_uses (
    pregnancy_record_id text NOT NULL,
    voucher_number      integer NOT NULL,
    used_on             integer NOT NULL, -- yyyymmdd
    result_id           text NOT NULL,
    PRIMARY KEY (pregnancy_record_id, voucher_number)
);

-- Checkup results (prenatal, with a voucher; infant), idempotent by (institution, submission id).
CREATE TABLE mc_submissions (
    institution_code  text NOT NULL,
    submission_id     text NOT NULL,
    fingerprint       text NOT NULL,
    result_id         text NOT NULL,
    municipality_code text NOT NULL,
    sequence          bigint NOT NULL,
    PRIMARY KEY (institution_code, submission_id)
);
CREATE TABLE mc_checkups (
    result_id         text NOT NULL PRIMARY KEY,
    kind              text NOT NULL, -- prenatal | infant
    checkup           text NOT NULL, -- the voucher id, or the infant checkup code
    person_key        text NOT NULL,
    municipality_code text NOT NULL,
    local_person_id   text NULL,
    checkup_date      integer NOT NULL, -- yyyymmdd
    result            text NOT NULL,    -- JSON of the result's items
    institution_code  text NOT NULL,
    recorded_at       bigint NOT NULL  -- unix ms
);
CREATE INDEX ix_mc_checkups_person ON mc_checkups (person_key);

CREATE TABLE mc_feed_heads (
    municipality_code text NOT NULL PRIMARY KEY,
    last_sequence     bigint NOT NULL
);
CREATE TABLE mc_feed (
    municipality_code text NOT NULL,
    sequence          bigint NOT NULL,
    result_id         text NOT NULL,
    PRIMARY KEY (municipality_code, sequence)
);

CREATE TABLE mc_batches (
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
CREATE TABLE mc_batch_parts (
    municipality_code text NOT NULL,
    batch_id          text NOT NULL,
    part_index        integer NOT NULL,
    payload           text NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
