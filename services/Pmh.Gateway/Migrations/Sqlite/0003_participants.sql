-- Participants and their credentials, kept in the gateway's store (seeded from configuration at start-up).
-- Keys are kept only as SHA-256 hashes; a key can be revoked, and a participant can hold several (rotation).
CREATE TABLE participants (
    participant_id TEXT NOT NULL PRIMARY KEY,
    name           TEXT NOT NULL,
    role           TEXT NOT NULL,
    code           TEXT NOT NULL,
    created_at     INTEGER NOT NULL
);
CREATE TABLE participant_keys (
    key_hash       TEXT NOT NULL PRIMARY KEY,
    participant_id TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    revoked_at     INTEGER NULL
);
CREATE INDEX ix_participant_keys_participant ON participant_keys (participant_id);
-- Client certificates (mutual TLS) by SHA-256 thumbprint of their DER.
CREATE TABLE participant_certificates (
    thumbprint     TEXT NOT NULL PRIMARY KEY,
    participant_id TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    revoked_at     INTEGER NULL
);
