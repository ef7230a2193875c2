"""Stage 5: PDF/A with LibreOffice: which documents (documents.py), conversion
(convert.py), joined letters (join.py), metadata and page splitting (pages.py), the PDF/A
validator (pdfa.py), soffice and its guard process (soffice.py, guard.py)."""
