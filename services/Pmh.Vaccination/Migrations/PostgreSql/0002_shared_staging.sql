-- Batch staging moved to the tables every service shares (staged_batches, staged_batch_parts, created by the hosting
-- library's own migration, which runs first): what was staged here is carried over, then the old tables go.
INSERT INTO staged_batches (municipality_code, batch_id, part_count, parts_received, row_count, status, accepted_count, applied_at)
SELECT municipality_code, batch_id, part_count, parts_received, row_count, status, accepted_count, applied_at FROM vaccination_batches;
INSERT INTO staged_batch_parts (municipality_code, batch_id, part_index, payload)
SELECT municipality_code, batch_id, part_index, payload FROM vaccination_batch_parts;
DROP TABLE vaccination_batch_parts;
DROP TABLE vaccination_batches;
