"""Shared fixtures: the project's templates and content, read once per session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from pipeline.content.model import Content
from pipeline.content.themes import load_content
from pipeline.pdf.soffice import find_soffice

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
EXAMPLE = ROOT / "inputs" / "voorbeeld.xlsx"

# The property tests check what the code does, not how fast: on a loaded machine (CI,
# two cores shared by several runs) a slow example is no failure.
settings.register_profile("intervisie", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("intervisie")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked `libreoffice` need soffice: skipped on a machine without it, but in
    CI (which installs it) a missing LibreOffice fails the run instead of hiding tests."""
    needing = [item for item in items if item.get_closest_marker("libreoffice")]
    if not needing or find_soffice() is not None:
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(
            f"CI: {len(needing)} tests need LibreOffice (soffice), which is not installed"
        )
    for item in needing:
        item.add_marker(pytest.mark.skip(reason="LibreOffice (soffice) ontbreekt"))


@pytest.fixture(scope="session")
def content() -> Content:
    return load_content(TEMPLATES)


@pytest.fixture(scope="session")
def example_run(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The example workbook generated once; tests only read from it."""
    from tests.generated import generate_example

    return generate_example(tmp_path_factory.mktemp("uitvoer"))


@pytest.fixture(scope="session")
def smtp_ca(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A test certificate authority; the client trusts it through SSL_CERT_FILE."""
    from tests.smtp_server import new_ca

    return new_ca(tmp_path_factory.mktemp("ca"))


@pytest.fixture
def smtp(smtp_ca, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """A real SMTP server on 127.0.0.1 with STARTTLS (tests/smtp_server.py): yields
    (Recorder, port); INTERVISIE_SMTP_SERVER/POORT point at it."""
    from tests.smtp_server import Recorder, serving

    authority, pem = smtp_ca
    recorder = Recorder()
    with serving(recorder, authority) as port:
        monkeypatch.setenv("SSL_CERT_FILE", str(pem))  # the client trusts the test CA only
        monkeypatch.setenv("INTERVISIE_SMTP_SERVER", "127.0.0.1")
        monkeypatch.setenv("INTERVISIE_SMTP_POORT", str(port))
        yield recorder, port
