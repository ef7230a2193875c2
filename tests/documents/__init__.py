"""Tests of pipeline/documents: planned contexts, Dutch conventions, file names."""
