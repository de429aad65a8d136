-- Reception checks, so that later calls (co-payments, vaccinations, voucher use) can be tied to the check that
-- allowed them. The person key never leaves the hub; the institution only ever sees person_ref.
CREATE TABLE reception_checks (
    check_id         text NOT NULL PRIMARY KEY,
    participant_id   text NOT NULL,
    institution_code text NOT NULL,
    person_key       text NOT NULL,
    person_ref       text NOT NULL,
    birth_date       integer NOT NULL, -- yyyymmdd
    service_date     integer NOT NULL, -- yyyymmdd
    parts            text NOT NULL,    -- JSON: {kind: status}
    created_at       bigint NOT NULL, -- unix ms
    expires_at       bigint NOT NULL  -- unix ms
);
