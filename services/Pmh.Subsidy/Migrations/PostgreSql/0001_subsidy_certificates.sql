-- The current revision of each certificate, one row per (municipality, history key).
CREATE TABLE subsidy_certificates (
    municipality_code text NOT NULL,
    history_key       text NOT NULL,
    person_key        text NOT NULL,
    valid_from        integer NOT NULL, -- yyyymmdd
    valid_to          integer NOT NULL, -- yyyymmdd
    is_deleted        boolean NOT NULL,
    is_not_disclosed  boolean NOT NULL,
    revision          integer NOT NULL,
    batch_id          text NOT NULL,
    updated_at        timestamptz NOT NULL,
    data              text NOT NULL, -- the whole certificate as JSON
    PRIMARY KEY (municipality_code, history_key)
);
CREATE INDEX ix_subsidy_certificates_person ON subsidy_certificates (person_key);

-- Every revision ever applied, append-only, in the order the hub applied them.
CREATE TABLE subsidy_certificate_revisions (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    municipality_code text NOT NULL,
    history_key       text NOT NULL,
    batch_id          text NOT NULL,
    row_index         integer NOT NULL,
    person_key        text NOT NULL,
    applied_at        timestamptz NOT NULL,
    data              text NOT NULL
);

-- Published batches: staged part by part, applied in one transaction when the last part arrives.
CREATE TABLE subsidy_batches (
    municipality_code text NOT NULL,
    batch_id          text NOT NULL,
    part_count        integer NOT NULL,
    parts_received    integer NOT NULL,
    row_count         integer NOT NULL,
    status            text NOT NULL, -- staging | applied
    accepted_count    integer NULL,
    applied_at        timestamptz NULL,
    PRIMARY KEY (municipality_code, batch_id)
);

CREATE TABLE subsidy_batch_parts (
    municipality_code text NOT NULL,
    batch_id          text NOT NULL,
    part_index        integer NOT NULL,
    payload           text NULL, -- emptied once the batch is applied
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
