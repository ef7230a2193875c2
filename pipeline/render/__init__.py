"""Stage 4: prepared docxtpl templates, rendering, the worker batch, print bundles."""
