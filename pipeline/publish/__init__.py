"""Stage 6: staging and atomic publishing (staging.py), the cycle lock (lock.py), what a
run may replace (ownership.py), folder names (folders.py), the manifest (manifest.py),
carry-over for --soort and the run's record (record.py)."""
