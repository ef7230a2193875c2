# intervisie-docs: `make run` and `make test` are all a new user needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WERKBOEK ?= inputs/voorbeeld.xlsx
UITVOER ?= output

.DEFAULT_GOAL := help
.PHONY: help run test lint typecheck bench templates example clean

help: ## Toon deze hulp
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/intervisie: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

run: $(BIN)/intervisie ## Maak alle documenten uit inputs/voorbeeld.xlsx in output/
	$(BIN)/intervisie genereer $(WERKBOEK) --uitvoer $(UITVOER)

test: $(BIN)/intervisie ## Draai lint, typecontrole en alle tests
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(BIN)/intervisie ## Alleen ruff en mypy
	$(BIN)/ruff check pipeline tests tools
	$(BIN)/mypy

bench: $(BIN)/intervisie ## Meet de snelheid (1.000 en 10.000 documenten) tegen gewone docxtpl
	$(BIN)/python -m tools.bench

templates: $(BIN)/intervisie ## Bouw de Word-sjablonen opnieuw (weigert een in Word gewijzigd sjabloon; FORCEER=1 overschrijft) en templates/VELDEN.md
	$(BIN)/python tools/build_templates.py $(if $(FORCEER),--forceer)
	$(BIN)/intervisie sjablonen velden --markdown --sjablonen templates > templates/VELDEN.md.tmp
	mv templates/VELDEN.md.tmp templates/VELDEN.md

example: $(BIN)/intervisie ## Bouw inputs/voorbeeld.xlsx opnieuw uit tools/voorbeeld.toml (met controle)
	$(BIN)/python tools/make_example.py

clean: ## Verwijder output/ en de virtuele omgeving
	rm -rf $(UITVOER) $(VENV) .pytest_cache .mypy_cache .ruff_cache
