"""The mechanical drafter: fixes that need no prose (entries removed, renames followed, types)."""
