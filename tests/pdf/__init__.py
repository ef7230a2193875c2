"""Tests of pipeline/pdf: LibreOffice conversion, joined letters, PDF/A pages."""
