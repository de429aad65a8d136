-- Registered card certificates, by the SHA-256 of their DER.
CREATE TABLE identity_cards (
    thumbprint     text NOT NULL PRIMARY KEY,
    issuer         text NOT NULL,
    serial_number  text NOT NULL,
    person_key     text NOT NULL,
    birth_date     integer NOT NULL, -- yyyymmdd
    not_after      bigint NOT NULL, -- unix ms
    registered_at  bigint NOT NULL  -- unix ms
);
CREATE INDEX ix_identity_cards_issuer_serial ON identity_cards (issuer, serial_number);

-- Revoked cards by issuer and serial number; a revocation may come before or after registration.
CREATE TABLE identity_revocations (
    issuer         text NOT NULL,
    serial_number  text NOT NULL,
    revoked_at     bigint NOT NULL, -- unix ms
    PRIMARY KEY (issuer, serial_number)
);

-- Challenges: single use, short-lived, shared by every gateway instance through this database.
CREATE TABLE identity_challenges (
    challenge_id   text NOT NULL PRIMARY KEY,
    participant_id text NOT NULL,
    nonce          text NOT NULL,    -- base64
    expires_at     bigint NOT NULL, -- unix ms
    used_at        bigint NULL      -- unix ms
);
CREATE INDEX ix_identity_challenges_expires ON identity_challenges (expires_at);
