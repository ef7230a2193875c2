"""Method content per theme (TOML under templates/inhoud) and the timed agenda."""
