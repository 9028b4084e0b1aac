"""Configuration: the scenario schema, safe YAML loading and the translation of errors."""
