-- The current revision of each certificate, one row per (municipality, history key).
CREATE TABLE subsidy_certificates (
    municipality_code TEXT NOT NULL,
    history_key       TEXT NOT NULL,
    person_key        TEXT NOT NULL,
    valid_from        INTEGER NOT NULL, -- yyyymmdd
    valid_to          INTEGER NOT NULL, -- yyyymmdd
    is_deleted        INTEGER NOT NULL,
    is_not_disclosed  INTEGER NOT NULL,
    revision          INTEGER NOT NULL,
    batch_id          TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    data              TEXT NOT NULL, -- the whole certificate as JSON
    PRIMARY KEY (municipality_code, history_key)
);
CREATE INDEX ix_subsidy_certificates_person ON subsidy_certificates (person_key);

-- Every revision ever applied, append-only, in the order the hub applied them.
CREATE TABLE subsidy_certificate_revisions (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    municipality_code TEXT NOT NULL,
    history_key       TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    row_index         INTEGER NOT NULL,
    person_key        TEXT NOT NULL,
    applied_at        TEXT NOT NULL,
    data              TEXT NOT NULL
);

-- Published batches: staged part by part, applied in one transaction when the last part arrives.
CREATE TABLE subsidy_batches (
    municipality_code TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    part_count        INTEGER NOT NULL,
    parts_received    INTEGER NOT NULL,
    row_count         INTEGER NOT NULL,
    status            TEXT NOT NULL, -- staging | applied
    accepted_count    INTEGER NULL,
    applied_at        TEXT NULL,
    PRIMARY KEY (municipality_code, batch_id)
);

CREATE TABLE subsidy_batch_parts (
    municipality_code TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    part_index        INTEGER NOT NULL,
    payload           TEXT NULL, -- emptied once the batch is applied
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
