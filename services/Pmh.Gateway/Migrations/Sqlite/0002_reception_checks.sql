-- Reception checks, so that later calls (co-payments, vaccinations, voucher use) can be tied to the check that
-- allowed them. The person key never leaves the hub; the institution only ever sees person_ref.
CREATE TABLE reception_checks (
    check_id         TEXT NOT NULL PRIMARY KEY,
    participant_id   TEXT NOT NULL,
    institution_code TEXT NOT NULL,
    person_key       TEXT NOT NULL,
    person_ref       TEXT NOT NULL,
    birth_date       INTEGER NOT NULL, -- yyyymmdd
    service_date     INTEGER NOT NULL, -- yyyymmdd
    parts            TEXT NOT NULL,    -- JSON: {kind: status}
    created_at       INTEGER NOT NULL, -- unix ms
    expires_at       INTEGER NOT NULL  -- unix ms
);
