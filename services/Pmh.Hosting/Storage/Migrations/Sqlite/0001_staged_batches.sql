-- The staging of municipal batches (StagedBatches), the same in every service database: one row per batch (its
-- parts counted under a row lock, its one result once applied) and one per part (payload emptied once applied).
CREATE TABLE staged_batches (
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
CREATE TABLE staged_batch_parts (
    municipality_code TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    part_index        INTEGER NOT NULL,
    payload           TEXT NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
