-- The co-payment cap ledger: one row per certificate and month, updated under its row lock.
CREATE TABLE copayment_months (
    municipality_code varchar(6) NOT NULL,
    history_key       nvarchar(100) NOT NULL,
    month             nvarchar(100) NOT NULL, -- yyyy-MM
    total_yen         bigint NOT NULL,
    PRIMARY KEY (municipality_code, history_key, month)
);
-- Receipts, idempotent by (institution, receipt id).
CREATE TABLE copayment_receipts (
    institution_code  nvarchar(100) NOT NULL,
    receipt_id        nvarchar(100) NOT NULL,
    person_key        varchar(64) NOT NULL,
    municipality_code varchar(6) NOT NULL,
    history_key       nvarchar(100) NOT NULL,
    month             nvarchar(100) NOT NULL,
    asked_yen         bigint NOT NULL,
    charged_yen       bigint NOT NULL,
    fingerprint       nvarchar(100) NOT NULL,
    recorded_at       bigint NOT NULL,
    PRIMARY KEY (institution_code, receipt_id)
);
CREATE TABLE copayment_corrections (
    institution_code  nvarchar(100) NOT NULL,
    receipt_id        nvarchar(100) NOT NULL,
    correction_id     nvarchar(100) NOT NULL,
    asked_yen         bigint NOT NULL,
    charged_yen       bigint NOT NULL,
    recorded_at       bigint NOT NULL,
    PRIMARY KEY (institution_code, receipt_id, correction_id)
);
