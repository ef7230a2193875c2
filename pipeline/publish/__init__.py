"""Stage 6: staged atomic publishing, the cycle lock, ownership checks, folders, manifest."""
