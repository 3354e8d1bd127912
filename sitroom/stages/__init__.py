"""The extraction stages, one module each; `registry` registers them with spaCy."""
