-- Each municipality's price table: the rows of its latest accepted upload (an upload replaces the whole table).
CREATE TABLE vaccination_prices (
    municipality_code      varchar(6) NOT NULL,
    vaccine                varchar(200) NOT NULL,
    programme              varchar(200) NOT NULL,
    valid_from             bigint NOT NULL, -- yyyymmdd
    valid_to               bigint NULL,     -- yyyymmdd, inclusive; NULL = until further notice
    unit_price_yen         bigint NOT NULL,
    patient_share_yen      bigint NOT NULL,
    questionnaire_required bigint NOT NULL, -- 0 | 1
    batch_id               nvarchar(200) NOT NULL,
    PRIMARY KEY (municipality_code, vaccine, programme, valid_from)
);

-- Claim lines: one per routine dose (stored in the dose's transaction) and one per adjustment after a close. A claim is
-- the lines of one institution, municipality and month (claim_id); its status follows from the clock.
CREATE TABLE vaccination_claim_lines (
    line_id           varchar(200) NOT NULL PRIMARY KEY,
    claim_id          varchar(200) NOT NULL,
    institution_code  varchar(10) NOT NULL,
    municipality_code varchar(6) NOT NULL,
    claim_month       bigint NOT NULL, -- yyyymm
    kind              varchar(200) NOT NULL, -- dose | adjustment
    adjusts_line_id   varchar(200) NULL,
    submission_id     varchar(200) NOT NULL,
    record_id         varchar(200) NOT NULL,
    person_key        varchar(200) NOT NULL,
    local_person_id   nvarchar(200) NULL,
    vaccine           varchar(200) NOT NULL,
    dose_number       bigint NOT NULL,
    dose_date         bigint NOT NULL, -- yyyymmdd
    programme         varchar(200) NOT NULL,
    priced            bigint NOT NULL, -- 0 | 1
    unit_price_yen    bigint NOT NULL,
    patient_share_yen bigint NOT NULL,
    state             varchar(200) NOT NULL, -- pending | unpriced | approved | rejected
    reason            nvarchar(200) NULL,
    decided_at        bigint NULL, -- unix ms
    created_at        bigint NOT NULL -- unix ms
);
CREATE INDEX ix_vaccination_claim_lines_institution ON vaccination_claim_lines (institution_code, claim_month);
CREATE INDEX ix_vaccination_claim_lines_municipality ON vaccination_claim_lines (municipality_code, claim_month);
CREATE INDEX ix_vaccination_claim_lines_claim ON vaccination_claim_lines (claim_id);

-- Pre-vaccination questionnaires (予診票) answered by citizens: unexpired and unused ones are shown at reception, a
-- dose uses one (used_record_id).
CREATE TABLE vaccination_questionnaires (
    questionnaire_id   varchar(200) NOT NULL PRIMARY KEY,
    person_key         varchar(200) NOT NULL,
    vaccine            varchar(200) NOT NULL,
    dose_number        bigint NOT NULL,
    definition_version varchar(200) NOT NULL,
    answered_by        nvarchar(200) NOT NULL,
    answers            nvarchar(max) NOT NULL, -- JSON: question id -> answer
    attention          nvarchar(max) NOT NULL, -- JSON: ids of the questions whose answers need the doctor's attention
    submitted_at       bigint NOT NULL, -- unix ms
    valid_until        bigint NOT NULL, -- unix ms
    used_record_id     varchar(200) NULL
);
CREATE INDEX ix_vaccination_questionnaires_person ON vaccination_questionnaires (person_key);

-- The doctor's decision recorded with a dose (予診の結果), and the questionnaire it was made on.
CREATE TABLE vaccination_dose_decisions (
    record_id        varchar(200) NOT NULL PRIMARY KEY,
    questionnaire_id varchar(200) NULL,
    vaccinate        bigint NOT NULL, -- 0 | 1
    doctor_name      nvarchar(200) NOT NULL,
    decided_at       bigint NOT NULL  -- unix ms
);

-- Corrections of submitted doses, once per (institution, correction id).
CREATE TABLE vaccination_corrections (
    institution_code varchar(10) NOT NULL,
    correction_id    varchar(200) NOT NULL,
    submission_id    varchar(200) NOT NULL,
    fingerprint      varchar(200) NOT NULL,
    effect           varchar(200) NOT NULL,
    claim_id         varchar(200) NULL,
    PRIMARY KEY (institution_code, correction_id)
);
