"""Tests of pipeline/render: prepared templates, rendering, the worker batch."""
