-- Each municipality's price table: the rows of its latest accepted upload (an upload replaces the whole table).
CREATE TABLE vaccination_prices (
    municipality_code      varchar(6) NOT NULL,
    vaccine                text NOT NULL,
    programme              text NOT NULL,
    valid_from             bigint NOT NULL, -- yyyymmdd
    valid_to               bigint NULL,     -- yyyymmdd, inclusive; NULL = until further notice
    unit_price_yen         bigint NOT NULL,
    patient_share_yen      bigint NOT NULL,
    questionnaire_required bigint NOT NULL, -- 0 | 1
    batch_id               text NOT NULL,
    PRIMARY KEY (municipality_code, vaccine, programme, valid_from)
);

-- Claim lines: one per routine dose (stored in the dose's transaction) and one per adjustment after a close. A claim is
-- the lines of one institution, municipality and month (claim_id); its status follows from the clock.
CREATE TABLE vaccination_claim_lines (
    line_id           text NOT NULL PRIMARY KEY,
    claim_id          text NOT NULL,
    institution_code  varchar(10) NOT NULL,
    municipality_code varchar(6) NOT NULL,
    claim_month       bigint NOT NULL, -- yyyymm
    kind              text NOT NULL, -- dose | adjustment
    adjusts_line_id   text NULL,
    submission_id     text NOT NULL,
    record_id         text NOT NULL,
    person_key        text NOT NULL,
    local_person_id   text NULL,
    vaccine           text NOT NULL,
    dose_number       bigint NOT NULL,
    dose_date         bigint NOT NULL, -- yyyymmdd
    programme         text NOT NULL,
    priced            bigint NOT NULL, -- 0 | 1
    unit_price_yen    bigint NOT NULL,
    patient_share_yen bigint NOT NULL,
    state             text NOT NULL, -- pending | unpriced | approved | rejected
    reason            text NULL,
    decided_at        bigint NULL, -- unix ms
    created_at        bigint NOT NULL -- unix ms
);
CREATE INDEX ix_vaccination_claim_lines_institution ON vaccination_claim_lines (institution_code, claim_month);
CREATE INDEX ix_vaccination_claim_lines_municipality ON vaccination_claim_lines (municipality_code, claim_month);
CREATE INDEX ix_vaccination_claim_lines_claim ON vaccination_claim_lines (claim_id);

-- Pre-vaccination questionnaires (予診票) answered by citizens: unexpired and unused ones are shown at reception, a
-- dose uses one (used_record_id).
CREATE TABLE vaccination_questionnaires (
    questionnaire_id   text NOT NULL PRIMARY KEY,
    person_key         text NOT NULL,
    vaccine            text NOT NULL,
    dose_number        bigint NOT NULL,
    definition_version text NOT NULL,
    answered_by        text NOT NULL,
    answers            text NOT NULL, -- JSON: question id -> answer
    attention          text NOT NULL, -- JSON: ids of the questions whose answers need the doctor's attention
    submitted_at       bigint NOT NULL, -- unix ms
    valid_until        bigint NOT NULL, -- unix ms
    used_record_id     text NULL
);
CREATE INDEX ix_vaccination_questionnaires_person ON vaccination_questionnaires (person_key);

-- The doctor's decision recorded with a dose (予診の結果), and the questionnaire it was made on.
CREATE TABLE vaccination_dose_decisions (
    record_id        text NOT NULL PRIMARY KEY,
    questionnaire_id text NULL,
    vaccinate        bigint NOT NULL, -- 0 | 1
    doctor_name      text NOT NULL,
    decided_at       bigint NOT NULL  -- unix ms
);

-- Corrections of submitted doses, once per (institution, correction id).
CREATE TABLE vaccination_corrections (
    institution_code varchar(10) NOT NULL,
    correction_id    text NOT NULL,
    submission_id    text NOT NULL,
    fingerprint      text NOT NULL,
    effect           text NOT NULL,
    claim_id         text NULL,
    PRIMARY KEY (institution_code, correction_id)
);
