"""Stage 1-2: read the workbook (cells to plain values) and check it into typed records."""
