"""The register: one SQLite database per output folder with every cycle's history.

It is the one source of truth for what must survive between runs: the cycle's versions,
per document its content hash and the bytes the program wrote, per booking its calendar
UID and SEQUENCE, how each letter goes on paper, every message of the outbox and every
delivery attempt. See db.py for the file itself, changes.py for change detection,
cycles.py for what a `genereer` run records, letters.py for each version's letter date
and what a changed invitation says, sends.py for `verstuur`, status.py for `intervisie
status`, migrate.py and legacy_log.py for taking over the history of runs made before the
register.
"""
