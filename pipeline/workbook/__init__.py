"""Stage 1-2: read the workbook (reader.py: cells to plain values) and check it into typed
records (check.py, over records.py, fields.py and values.py per sheet and rules.py across
rows), all against the contract in schema.py; the empty workbook (empty.py, its
Toelichting sheet in toelichting.py, the cells' look in cell_style.py) and the copy with
every problem marked (markup.py)."""
