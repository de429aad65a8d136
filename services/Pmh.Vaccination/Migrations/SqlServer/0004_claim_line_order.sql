-- A claim's lines are read page by page in a stable order (created_at, line_id); this index serves that order and the
-- keyset cursor of each page.
CREATE INDEX ix_vaccination_claim_lines_claim_order ON vaccination_claim_lines (claim_id, created_at, line_id);
