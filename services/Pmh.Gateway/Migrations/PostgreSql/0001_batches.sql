-- Batches published through this gateway: what was submitted, what was refused, and what the owning service applied.
CREATE TABLE gateway_batches (
    municipality_code text NOT NULL,
    batch_id          text NOT NULL,
    kind              text NOT NULL,
    publisher_id      text NOT NULL,
    fingerprint       text NOT NULL,
    status            text NOT NULL, -- accepted | completed | failed
    row_count         integer NOT NULL,
    valid_count       integer NOT NULL,
    accepted_count    integer NULL,
    rejections        text NOT NULL, -- JSON: [{index, field, reason}]
    failure           text NULL,
    submitted_at      timestamptz NOT NULL,
    completed_at      timestamptz NULL,
    PRIMARY KEY (municipality_code, batch_id)
);
