/** Migration 0001: the ledger's table and its indexes. */
export const sql = `
-- The disclosure ledger (docs/adr/0013-disclosure-ledger.md). One row per record; body is what
-- the hash covers; the other columns are copies for indexing, checked against the body by verify.
CREATE TABLE ledger_records (
  chain     text        NOT NULL,
  seq       bigint      NOT NULL,
  at        timestamptz NOT NULL,
  kind      text        NOT NULL,
  consumer  text,
  subjects  text[]      NOT NULL DEFAULT '{}',
  body      jsonb       NOT NULL,
  prev_hash text        NOT NULL,
  hash      text        NOT NULL,
  PRIMARY KEY (chain, seq)
);
CREATE INDEX ledger_records_subjects ON ledger_records USING gin (subjects);
CREATE INDEX ledger_records_consumer_at ON ledger_records (consumer, at);
CREATE INDEX ledger_records_at ON ledger_records (at);
`;
