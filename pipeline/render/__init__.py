"""Stage 4: prepared docxtpl templates (prepared.py, sandbox.py, names.py,
word_settings.py), the template check (check.py), the run's render tasks (tasks.py), the
worker batch (batch.py), print bundles (bundle.py), the field guide (guide.py,
meanings.py)."""
