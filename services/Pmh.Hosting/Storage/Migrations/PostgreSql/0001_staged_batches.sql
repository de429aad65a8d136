-- The staging of municipal batches (StagedBatches), the same in every service database: one row per batch (its
-- parts counted under a row lock, its one result once applied) and one per part (payload emptied once applied).
CREATE TABLE staged_batches (
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
CREATE TABLE staged_batch_parts (
    municipality_code text NOT NULL,
    batch_id          text NOT NULL,
    part_index        integer NOT NULL,
    payload           text NULL,
    PRIMARY KEY (municipality_code, batch_id, part_index)
);
