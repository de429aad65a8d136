-- The staging of municipal batches (StagedBatches), the same in every service database: one row per batch (its
-- parts counted under a row lock, its one result once applied) and one per part (payload emptied once applied).
CREATE TABLE staged_batches (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(100) NOT NULL,
    part_count        int NOT NULL,
    parts_received    int NOT NULL,
    row_count         int NOT NULL,
    status            varchar(16) NOT NULL,
    accepted_count    int NULL,
    applied_at        datetimeoffset NULL,
    CONSTRAINT pk_staged_batches PRIMARY KEY (municipality_code, batch_id)
);
CREATE TABLE staged_batch_parts (
    municipality_code varchar(6) NOT NULL,
    batch_id          nvarchar(100) NOT NULL,
    part_index        int NOT NULL,
    payload           nvarchar(max) NULL,
    CONSTRAINT pk_staged_batch_parts PRIMARY KEY (municipality_code, batch_id, part_index)
);
