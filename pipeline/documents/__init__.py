"""Stage 3: plan one context per document, with Dutch conventions and file names."""
