"""Every location formats itself in one place: workbook cells, template parts, content fields."""

from __future__ import annotations

import pickle
from pathlib import Path

import docx
import pytest

from pipeline.errors import (
    ContentLocation,
    ContentProblem,
    Location,
    TemplateLocation,
    TemplateProblem,
    format_message,
)
from pipeline.render.prepared import CoreProperties, PreparedTemplate, make_environment


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location("Sessies", 4, "vorm", "F"), "blad 'Sessies', rij 4, kolom 'vorm' (F)"),
        (Location("Organisatie"), "blad 'Organisatie'"),
        (TemplateLocation("brief.docx"), "sjabloon 'brief.docx'"),
        (
            TemplateLocation("brief.docx", "word/header1.xml", "Kop {{ x }"),
            "sjabloon 'brief.docx', in een koptekst ('word/header1.xml'), "
            "in de alinea 'Kop {{ x }'",
        ),
        (
            TemplateLocation("brief.docx", "word/document.xml"),
            "sjabloon 'brief.docx', in de tekst ('word/document.xml')",
        ),
        (ContentLocation("leerruimte.toml"), "inhoudsbestand 'leerruimte.toml'"),
        (
            ContentLocation("leerruimte.toml", "stappen[2].minuten"),
            "inhoudsbestand 'leerruimte.toml', veld 'stappen[2].minuten'",
        ),
    ],
)
def test_locations_format_themselves(location: object, text: str) -> None:
    assert str(location) == text
    assert format_message("bericht", location) == f"{text}: bericht"  # type: ignore[arg-type]


def test_problems_put_their_location_first_and_survive_pickling() -> None:
    problem = TemplateProblem("fout", "brief.docx", "uitleg", part="word/footer1.xml")
    assert (
        str(problem)
        == "sjabloon 'brief.docx', in een voettekst ('word/footer1.xml'): fout (uitleg)"
    )
    assert str(pickle.loads(pickle.dumps(problem))) == str(problem)
    content = ContentProblem("ontbreekt", "algemeen.toml", "wat_is")
    assert str(content) == "inhoudsbestand 'algemeen.toml', veld 'wat_is': ontbreekt"


def test_a_syntax_error_in_a_footer_names_the_footer_and_paragraph(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Romp")
    document.sections[0].footer.paragraphs[0].text = "Pagina {{ nummer }"
    path = tmp_path / "brief.docx"
    document.save(str(path))
    with pytest.raises(TemplateProblem) as caught:
        PreparedTemplate(path, make_environment())
    assert caught.value.location == TemplateLocation(
        "brief.docx", "word/footer1.xml", "Pagina {{ nummer }"
    )


def test_an_error_while_filling_in_names_the_part(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Romp")
    document.sections[0].header.paragraphs[0].text = "{{ 1 // nul }}"
    path = tmp_path / "brief.docx"
    document.save(str(path))
    template = PreparedTemplate(path, make_environment())
    with pytest.raises(TemplateProblem, match=r"in een koptekst .*ZeroDivisionError"):
        template.render({"nul": 0}, CoreProperties("t", "s", "a", "k", "2030-01-01T00:00:00Z"))
