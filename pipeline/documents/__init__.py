"""Stage 3: plan one context per document (plan.py, contexts.py), with Dutch conventions
(dutch.py) and file names (filenames.py); what counts as a change to a reader (matters.py);
the small sample cycle the template check renders (sample.py)."""
