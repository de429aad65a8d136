-- Reception checks, so that later calls (co-payments, vaccinations, voucher use) can be tied to the check that
-- allowed them. The person key never leaves the hub; the institution only ever sees person_ref.
CREATE TABLE reception_checks (
    check_id         varchar(32) NOT NULL PRIMARY KEY,
    participant_id   nvarchar(200) NOT NULL,
    institution_code nvarchar(200) NOT NULL,
    person_key       nvarchar(200) NOT NULL,
    person_ref       nvarchar(200) NOT NULL,
    birth_date       bigint NOT NULL, -- yyyymmdd
    service_date     bigint NOT NULL, -- yyyymmdd
    parts            nvarchar(max) NOT NULL,    -- JSON: {kind: status}
    created_at       bigint NOT NULL, -- unix ms
    expires_at       bigint NOT NULL  -- unix ms
);
