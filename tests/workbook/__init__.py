"""Tests of pipeline/workbook: reading cells and checking the workbook."""
