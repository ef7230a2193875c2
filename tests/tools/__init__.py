"""Tests of tools/: the template builder."""
