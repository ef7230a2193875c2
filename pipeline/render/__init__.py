"""Stage 4: prepared docxtpl templates, rendered per document, and the template check."""
