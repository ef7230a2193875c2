"""Tests of pipeline/content: theme content files and the timed agenda."""
