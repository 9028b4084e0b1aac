"""The domain: the leader pair (dyad), the sourced record and what was known on a date."""
