-- The current revision of each certificate, one row per (municipality, history key).
CREATE TABLE subsidy_certificates (
    municipality_code varchar(6) NOT NULL,
    history_key       nvarchar(200) NOT NULL,
    person_key        varchar(64) NOT NULL,
    valid_from        int NOT NULL, -- yyyymmdd
    valid_to          int NOT NULL, -- yyyymmdd
    is_deleted        bit NOT NULL,
    is_not_disclosed  bit NOT NULL,
    revision          int NOT NULL,
    batch_id          nvarchar(100) NOT NULL,
    updated_at        datetimeoffset NOT NULL,
    data              nvarchar(max) NOT NULL, -- the whole certificate as JSON
    CONSTRAINT pk_subsidy_certificates PRIMARY KEY (municipality_code, history_key)
);
CREATE INDEX ix_subsidy_certificates_person ON subsidy_certificates (person_key);

CREATE TABLE subsidy_certificate_revisions (
    id                bigint IDENTITY(1,1) PRIMARY KEY,
    municipality_code varchar(6) NOT NULL,
    history_key       nvarchar(200) NOT NULL,
    batch_id          nvarchar(100) NOT NULL,
    row_index         int NOT NULL,
    person_key        varchar(64) NOT NULL,
    applied_at        datetimeoffset NOT NULL,
    data              nvarchar(max) NOT NULL
);

CREATE TABLE subsidy_batches (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(100) NOT NULL,
    part_count        int NOT NULL,
    parts_received    int NOT NULL,
    row_count         int NOT NULL,
    status            varchar(16) NOT NULL,
    accepted_count    int NULL,
    applied_at        datetimeoffset NULL,
    CONSTRAINT pk_subsidy_batches PRIMARY KEY (municipality_code, batch_id)
);

CREATE TABLE subsidy_batch_parts (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(100) NOT NULL,
    part_index        int NOT NULL,
    payload           nvarchar(max) NULL,
    CONSTRAINT pk_subsidy_batch_parts PRIMARY KEY (municipality_code, batch_id, part_index)
);
