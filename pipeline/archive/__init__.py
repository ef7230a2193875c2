"""Stage 7: the syllabus archive: writing it (write.py), its MDTO metadata (mdto.py), and
its integrity check (check.py, pdf_check.py)."""
