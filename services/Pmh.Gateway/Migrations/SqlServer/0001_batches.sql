CREATE TABLE gateway_batches (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(100) NOT NULL,
    kind              varchar(40) NOT NULL,
    publisher_id      nvarchar(100) NOT NULL,
    fingerprint       varchar(64) NOT NULL,
    status            varchar(16) NOT NULL,
    row_count         int NOT NULL,
    valid_count       int NOT NULL,
    accepted_count    int NULL,
    rejections        nvarchar(max) NOT NULL,
    failure           nvarchar(1000) NULL,
    submitted_at      datetimeoffset NOT NULL,
    completed_at      datetimeoffset NULL,
    CONSTRAINT pk_gateway_batches PRIMARY KEY (municipality_code, batch_id)
);
