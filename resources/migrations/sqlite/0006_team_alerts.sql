-- Team mode: the highest alert threshold of a shared total already announced. Every gateway
-- sees the totals cross a threshold; the one whose UPDATE raises this records the alert, so the
-- team's ledger holds it once. A new limit sets it back to 0.
ALTER TABLE budget_totals ADD COLUMN alerted_percent INTEGER NOT NULL DEFAULT 0;
