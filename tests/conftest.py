"""Shared fixtures: the project's templates and content, read once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.content.themes import Content, load_content

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
EXAMPLE = ROOT / "inputs" / "voorbeeld.xlsx"


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(TEMPLATES)


@pytest.fixture(scope="session")
def example_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The example workbook generated once; tests only read from it."""
    from tests.generated import generate_example

    return generate_example(tmp_path_factory.mktemp("uitvoer"))
