"""`sitroom train`: learn the event-type classifier from an ACLED export (placeholder)."""
