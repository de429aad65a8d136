-- The co-payment cap ledger: one row per certificate and month, updated under its row lock.
CREATE TABLE copayment_months (
    municipality_code TEXT NOT NULL,
    history_key       TEXT NOT NULL,
    month             TEXT NOT NULL, -- yyyy-MM
    total_yen         INTEGER NOT NULL,
    PRIMARY KEY (municipality_code, history_key, month)
);
-- Receipts, idempotent by (institution, receipt id).
CREATE TABLE copayment_receipts (
    institution_code  TEXT NOT NULL,
    receipt_id        TEXT NOT NULL,
    person_key        TEXT NOT NULL,
    municipality_code TEXT NOT NULL,
    history_key       TEXT NOT NULL,
    month             TEXT NOT NULL,
    asked_yen         INTEGER NOT NULL,
    charged_yen       INTEGER NOT NULL,
    fingerprint       TEXT NOT NULL,
    recorded_at       INTEGER NOT NULL,
    PRIMARY KEY (institution_code, receipt_id)
);
CREATE TABLE copayment_corrections (
    institution_code  TEXT NOT NULL,
    receipt_id        TEXT NOT NULL,
    correction_id     TEXT NOT NULL,
    asked_yen         INTEGER NOT NULL,
    charged_yen       INTEGER NOT NULL,
    recorded_at       INTEGER NOT NULL,
    PRIMARY KEY (institution_code, receipt_id, correction_id)
);
