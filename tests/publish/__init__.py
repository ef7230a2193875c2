"""Tests of pipeline/publish: staging, locks, ownership, folders, manifest, killed runs."""
