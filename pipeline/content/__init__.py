"""Method content per theme (TOML under templates/inhoud) and the timed agenda: the records
(model.py), reading and checking the TOML files (toml_reader.py, themes.py) and the
schedule on the clock (agenda.py)."""
