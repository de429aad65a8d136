-- Batches published through this gateway: what was submitted, what was refused, and what the owning service applied.
CREATE TABLE gateway_batches (
    municipality_code TEXT NOT NULL,
    batch_id          TEXT NOT NULL,
    kind              TEXT NOT NULL,
    publisher_id      TEXT NOT NULL,
    fingerprint       TEXT NOT NULL,
    status            TEXT NOT NULL, -- accepted | completed | failed
    row_count         INTEGER NOT NULL,
    valid_count       INTEGER NOT NULL,
    accepted_count    INTEGER NULL,
    rejections        TEXT NOT NULL, -- JSON: [{index, field, reason}]
    failure           TEXT NULL,
    submitted_at      TEXT NOT NULL,
    completed_at      TEXT NULL,
    PRIMARY KEY (municipality_code, batch_id)
);
