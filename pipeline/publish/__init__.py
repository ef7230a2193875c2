"""Stage 6: staging and atomic publishing, the cycle lock, ownership, folders, the records."""
