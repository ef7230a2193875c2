"""Stage 5-6: staged atomic writing, the worker batch, manifest, archive and print bundles."""
