-- The co-payment cap ledger: one row per certificate and month, updated under its row lock.
CREATE TABLE copayment_months (
    municipality_code text NOT NULL,
    history_key       text NOT NULL,
    month             text NOT NULL, -- yyyy-MM
    total_yen         integer NOT NULL,
    PRIMARY KEY (municipality_code, history_key, month)
);
-- Receipts, idempotent by (institution, receipt id).
CREATE TABLE copayment_receipts (
    institution_code  text NOT NULL,
    receipt_id        text NOT NULL,
    person_key        text NOT NULL,
    municipality_code text NOT NULL,
    history_key       text NOT NULL,
    month             text NOT NULL,
    asked_yen         integer NOT NULL,
    charged_yen       integer NOT NULL,
    fingerprint       text NOT NULL,
    recorded_at       bigint NOT NULL,
    PRIMARY KEY (institution_code, receipt_id)
);
CREATE TABLE copayment_corrections (
    institution_code  text NOT NULL,
    receipt_id        text NOT NULL,
    correction_id     text NOT NULL,
    asked_yen         integer NOT NULL,
    charged_yen       integer NOT NULL,
    recorded_at       bigint NOT NULL,
    PRIMARY KEY (institution_code, receipt_id, correction_id)
);
