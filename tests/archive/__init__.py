"""Tests of pipeline/archive: the syllabus archive, MDTO metadata, its check."""
