"""Render documents from docxtpl templates, preparing each template once per run.

A template is prepared once: docxtpl's own XML clean-up (`patch_xml`) runs on every
part that holds tags, Jinja compiles it in a sandbox, and every other zip member is
packed once into a base archive. Rendering a document is then: render the tagged
parts, append them to a copy of the base archive. The XML of body, headers and footers
matches what `DocxTemplate.render(..., autoescape=True)` makes, including docxtpl's
post-processing (literal {_{ escapes, tabs and line breaks in values, column loops,
drawing ids); tests/render/test_docxtpl_equal.py compares them.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import jinja2
from docx.shared import Mm
from docxtpl import DocxTemplate
from jinja2.exceptions import SecurityError
from lxml import etree
from markupsafe import Markup

from pipeline.errors import TemplateLimit, TemplateProblem, describe_os_error
from pipeline.files import ZipBase, zip_with
from pipeline.model import SignatureImage
from pipeline.render.sandbox import BoundedSandbox, render_bounded, time_budget
from pipeline.render.word_settings import make_dutch

# Parts rendered per document are compressed fast: a few percent larger, much quicker.
RENDERED_LEVEL = 1
XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"
_TAG = re.compile(r"\{[{%#_]")  # a Jinja tag, or docxtpl's escape {_{ / {_%
NOTES_CONTENT_TYPES = frozenset(
    f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
    for kind in ("footnotes", "endnotes")
)
_PARAGRAPH_START = re.compile(r"<w:p([ >])")
_DOCPR_ID = re.compile(r'(<wp:docPr\b[^>]*?\bid=")(\d+)(")')
_XML_TAGS = re.compile(r"<[^>]+>")
# docxtpl's column loop ({%tc for ... %}); patch_xml turns it into plain {% %}.
_COLUMN_LOOP = re.compile(r"\{%\s*tc\b")
# Characters docxtpl turns into Word markup in values: tab, line break, paragraph, page.
_LISTING = ("\t", "\n", "\a", "\f")


def make_environment() -> jinja2.Environment:
    """Sandboxed (an HR-edited template must not reach Python internals) with bounds on
    size and time, escaping every value (docxtpl's default drops text after '&' or '<'),
    failing on undefined names."""
    return BoundedSandbox(autoescape=True, undefined=jinja2.StrictUndefined)


@dataclass(frozen=True, slots=True)
class CoreProperties:
    title: str
    subject: str
    author: str
    keywords: str
    created: str  # W3CDTF, e.g. 2027-03-01T09:00:00Z


def core_xml(props: CoreProperties) -> bytes:
    return (
        XML_DECLARATION
        + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(props.title)}</dc:title>"
        f"<dc:subject>{escape(props.subject)}</dc:subject>"
        f"<dc:creator>{escape(props.author)}</dc:creator>"
        f"<cp:keywords>{escape(props.keywords)}</cp:keywords>"
        f"<cp:lastModifiedBy>{escape(props.author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        "<dc:language>nl-NL</dc:language>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{props.created}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{props.created}</dcterms:modified>'
        "</cp:coreProperties>"
    ).encode()


_NO_ATTRIBUTE = re.compile(r"^'(.+)' has no attribute '(.+)'$")
_UNDEFINED = re.compile(r"^'(.+)' is undefined$")


def undefined_message(message: str) -> str:
    """Jinja's English message for an unknown name, in Dutch."""
    if found := _NO_ATTRIBUTE.match(message):
        return f"onbekende variabele '{found[2]}' (gevraagd van een {found[1]})".replace(
            "dict object", "groep gegevens"
        )
    if found := _UNDEFINED.match(message):
        return f"onbekende variabele '{found[1]}'"
    return f"onbekende variabele ({message})"


def paragraph_lines(source: str) -> str:
    """The source with every paragraph on its own line: a Jinja line number then names
    the paragraph (see paragraph_text)."""
    return _PARAGRAPH_START.sub(r"\n<w:p\1", source)


def _error_paragraph(env: jinja2.Environment, source: str) -> str:
    """The paragraph holding a syntax error: compile again with one paragraph per line."""
    marked = paragraph_lines(source)
    try:
        env.from_string(marked)
    except jinja2.TemplateSyntaxError as exc:
        return paragraph_text(marked, exc.lineno)
    return ""


_LIMIT_SEARCH_SECONDS = 1.0


def _limit_paragraph(env: jinja2.Environment, source: str, context: Mapping[str, Any]) -> str:
    """Where a template went past a bound: render it again, one paragraph per line and
    with a short budget, and read the line from the traceback Jinja rewrites."""
    marked = paragraph_lines(source)
    try:
        with time_budget(_LIMIT_SEARCH_SECONDS, fresh=True):
            render_bounded(env.from_string(marked), dict(context))
    except Exception as exc:  # the same limit again, or any other failure
        lineno = None
        trace = exc.__traceback__
        while trace is not None:
            if trace.tb_frame.f_code.co_filename == "<template>":
                lineno = trace.tb_lineno
            trace = trace.tb_next
        return paragraph_text(marked, lineno)
    return ""


def paragraph_text(source: str, lineno: int | None) -> str:
    """The visible text around a Jinja error: each paragraph is one line of the source."""
    if lineno is None:
        return ""
    lines = source.splitlines()[max(lineno - 1, 0) : lineno]
    return " ".join(_XML_TAGS.sub("", line) for line in lines).strip()[:200]


@dataclass(frozen=True)
class PreparedPart:
    name: str
    source: str  # patched XML as compiled, kept for error messages and the template check
    template: jinja2.Template
    fix_tables: bool


class PreparedTemplate:
    """A docx template ready to render many documents fast."""

    def __init__(
        self, path: Path, env: jinja2.Environment, signature: SignatureImage | None = None
    ) -> None:
        self.name = path.name
        self.path = path
        self.env = env
        if not path.is_file():
            raise TemplateProblem(f"ontbreekt (gezocht: {path})", path.name)
        try:  # permissions first: a file we may not read is not 'no valid Word document'
            with path.open("rb"):
                pass
        except OSError as exc:
            raise TemplateProblem(
                f"kan niet worden gelezen: {describe_os_error(exc)}", path.name
            ) from None
        try:
            tpl = DocxTemplate(str(path))
            tpl.init_docx()
        except Exception:  # python-docx raises many kinds (with English text) on a bad file
            raise TemplateProblem(
                "is geen geldig Word-document (.docx); sla het in Word op als Word-document",
                path.name,
            ) from None
        make_dutch(tpl.docx)  # even a template made elsewhere gives Dutch documents
        self._tpl = tpl
        self.signature = self._add_signature(signature) if signature else None
        self.parts = self._prepare_parts(env)
        self.base = self._base_archive({p.name for p in self.parts} | {CORE_PART})
        self._zip = ZipBase(self.base)

    def with_signature(self, signature: SignatureImage) -> PreparedTemplate:
        """The same template with the signature image registered in its package."""
        return PreparedTemplate(self.path, self.env, signature)

    def _add_signature(self, signature: SignatureImage) -> Markup:
        """Register the image once; every document refers to the same media part."""
        try:
            inline = self._tpl.docx.part.new_pic_inline(
                str(signature.path), Mm(signature.width_mm), None
            )
        except Exception:  # a corrupt image (the workbook check decodes it first)
            raise TemplateProblem(
                f"de handtekening '{signature.path.name}' kan niet worden ingevoegd", self.name
            ) from None
        # The same run-breaking snippet docxtpl's InlineImage produces, without the
        # indentation python-docx puts between the drawing's tags (insignificant
        # whitespace, but it would make every letter take docxtpl's listing path).
        return Markup(
            "</w:t></w:r><w:r><w:drawing>"
            + etree.tostring(inline, encoding="unicode")
            + '</w:drawing></w:r><w:r><w:t xml:space="preserve">'
        )

    def _tagged_parts(self) -> list[tuple[str, str]]:
        doc = self._tpl.docx
        parts = [(DOCUMENT_PART, etree.tostring(doc._element, encoding="unicode"))]
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for _, part in self._tpl.get_headers_footers(uri):
                xml = self._tpl.get_part_xml(part)
                parts.append((str(part.partname).lstrip("/"), xml))
        for package_part in doc.part.package.parts:  # footnotes and endnotes, like the body
            if package_part.content_type in NOTES_CONTENT_TYPES:
                blob = package_part.blob
                xml = blob.decode("utf-8") if isinstance(blob, bytes) else str(blob)
                parts.append((str(package_part.partname).lstrip("/"), xml))
        return [(name, xml) for name, xml in parts if _TAG.search(xml)]

    def _prepare_parts(self, env: jinja2.Environment) -> list[PreparedPart]:
        prepared = []
        for name, xml in self._tagged_parts():
            # docxtpl puts each paragraph on its own line while rendering and takes the
            # line breaks out again afterwards; they only serve error messages, so the
            # source is compiled without them and they are added when reporting an error.
            source = _literal_delimiters(self._tpl.patch_xml(xml))
            try:
                template = env.from_string(source)
            except jinja2.TemplateSyntaxError as exc:
                raise TemplateProblem(
                    f"Jinja-syntaxfout: {exc.message}",
                    self.name,
                    part=name,
                    paragraph=_error_paragraph(env, source),
                ) from None
            # docxtpl repairs the body's table grids after a column loop has run.
            column_loop = _COLUMN_LOOP.search(_XML_TAGS.sub("", xml)) is not None
            prepared.append(
                PreparedPart(name, source, template, name == DOCUMENT_PART and column_loop)
            )
        return prepared

    def _base_archive(self, rendered: set[str]) -> bytes:
        """A zip of every member that no document changes, compressed once."""
        package = io.BytesIO()
        self._tpl.docx.save(package)
        with zipfile.ZipFile(package) as source:
            return zip_with(
                b"",
                (
                    (info.filename, source.read(info.filename))
                    for info in source.infolist()
                    if info.filename not in rendered
                ),
            )

    def render_part(self, part: PreparedPart, context: Mapping[str, Any]) -> str:
        try:
            with time_budget():
                xml = render_bounded(part.template, dict(context))
        except TemplateLimit as exc:
            raise TemplateProblem(
                f"te zwaar om in te vullen: {exc}",
                self.name,
                part=part.name,
                paragraph=_limit_paragraph(self.env, part.source, context),
            ) from None
        except MemoryError:
            raise TemplateProblem(
                "te zwaar om in te vullen: er is niet genoeg geheugen", self.name, part=part.name
            ) from None
        except jinja2.UndefinedError as exc:
            message = undefined_message(exc.message or "")
            raise TemplateProblem(message, self.name, part=part.name) from None
        except SecurityError as exc:
            message = f"niet toegestaan in een sjabloon: {exc}"
            raise TemplateProblem(message, self.name, part=part.name) from None
        except jinja2.TemplateError as exc:
            message = f"fout bij het invullen: {exc}"
            raise TemplateProblem(message, self.name, part=part.name) from None
        except Exception as exc:  # arithmetic or type errors in a template's expressions
            message = f"fout bij het invullen: {type(exc).__name__}: {exc}"
            raise TemplateProblem(message, self.name, part=part.name) from None
        if any(c in xml for c in _LISTING):  # values with tabs, line breaks...: as docxtpl
            xml = self._tpl.resolve_listing(xml)
        if part.fix_tables:
            xml = etree.tostring(self._tpl.fix_tables(xml), encoding="unicode")
        if part.name == DOCUMENT_PART and "<wp:docPr" in xml:
            # As docxtpl: the body's drawings numbered from 1001 in order, so an image
            # inside a loop still has a unique id.
            counter = iter(range(1001, 1_000_000))
            xml = _DOCPR_ID.sub(lambda m: f"{m[1]}{next(counter)}{m[3]}", xml)
        return xml

    def render_members(
        self, context: Mapping[str, Any], props: CoreProperties
    ) -> list[tuple[str, bytes]]:
        """The members one document adds to the base archive: its rendered parts and
        its core properties."""
        if self.signature is not None or context.get("handtekening") is not None:
            context = {**context, "handtekening": self.signature or ""}
        with time_budget():  # one budget for the whole document
            members = [
                (p.name, _with_declaration(self.render_part(p, context))) for p in self.parts
            ]
        members.append((CORE_PART, core_xml(props)))
        return members

    def pack(self, members: list[tuple[str, bytes]]) -> bytes:
        """The finished .docx: the base archive with `members` appended."""
        return self._zip.with_members(members, RENDERED_LEVEL)

    def render(self, context: Mapping[str, Any], props: CoreProperties) -> bytes:
        """One finished .docx as bytes."""
        return self.pack(self.render_members(context, props))


# docxtpl's escapes for literal Jinja delimiters in a template's text. They are turned
# into literal text before compiling, never replaced in the output: a value from the
# workbook that happens to contain '{_{' must come out as typed.
_LITERAL_DELIMITERS = re.compile(r"\{_\{|\}_\}|\{_%|%_\}")


def _literal_delimiters(source: str) -> str:
    return _LITERAL_DELIMITERS.sub(
        lambda m: "{% raw %}" + m[0].replace("_", "") + "{% endraw %}", source
    )


def _with_declaration(xml: str) -> bytes:
    """A rendered part as bytes, with the XML declaration Word expects."""
    return (xml if xml.startswith("<?xml") else XML_DECLARATION + xml).encode("utf-8")
