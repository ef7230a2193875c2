"""Tests of pipeline/register: change detection and content hashes."""
