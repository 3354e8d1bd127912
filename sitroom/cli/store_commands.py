"""`sitroom ingest|events|claims|actors`: the database commands (placeholder)."""
