"""A cycle's history across runs: change detection against the previous manifest."""
