-- Registered card certificates, by the SHA-256 of their DER.
CREATE TABLE identity_cards (
    thumbprint     TEXT NOT NULL PRIMARY KEY,
    issuer         TEXT NOT NULL,
    serial_number  TEXT NOT NULL,
    person_key     TEXT NOT NULL,
    birth_date     INTEGER NOT NULL, -- yyyymmdd
    not_after      INTEGER NOT NULL, -- unix ms
    registered_at  INTEGER NOT NULL  -- unix ms
);
CREATE INDEX ix_identity_cards_issuer_serial ON identity_cards (issuer, serial_number);

-- Revoked cards by issuer and serial number; a revocation may come before or after registration.
CREATE TABLE identity_revocations (
    issuer         TEXT NOT NULL,
    serial_number  TEXT NOT NULL,
    revoked_at     INTEGER NOT NULL, -- unix ms
    PRIMARY KEY (issuer, serial_number)
);

-- Challenges: single use, short-lived, shared by every gateway instance through this database.
CREATE TABLE identity_challenges (
    challenge_id   TEXT NOT NULL PRIMARY KEY,
    participant_id TEXT NOT NULL,
    nonce          TEXT NOT NULL,    -- base64
    expires_at     INTEGER NOT NULL, -- unix ms
    used_at        INTEGER NULL      -- unix ms
);
CREATE INDEX ix_identity_challenges_expires ON identity_challenges (expires_at);
