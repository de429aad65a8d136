-- Participants and their credentials, kept in the gateway's store (seeded from configuration at start-up).
-- Keys are kept only as SHA-256 hashes; a key can be revoked, and a participant can hold several (rotation).
CREATE TABLE participants (
    participant_id text NOT NULL PRIMARY KEY,
    name           text NOT NULL,
    role           text NOT NULL,
    code           text NOT NULL,
    created_at     bigint NOT NULL
);
CREATE TABLE participant_keys (
    key_hash       text NOT NULL PRIMARY KEY,
    participant_id text NOT NULL,
    created_at     bigint NOT NULL,
    revoked_at     bigint NULL
);
CREATE INDEX ix_participant_keys_participant ON participant_keys (participant_id);
-- Client certificates (mutual TLS) by SHA-256 thumbprint of their DER.
CREATE TABLE participant_certificates (
    thumbprint     text NOT NULL PRIMARY KEY,
    participant_id text NOT NULL,
    created_at     bigint NOT NULL,
    revoked_at     bigint NULL
);
