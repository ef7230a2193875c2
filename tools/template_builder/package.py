"""The saved package: honest metadata, no thumbnail, the same bytes on every build."""

from __future__ import annotations

import io
import zipfile

from docx.document import Document as DocumentObject

from pipeline.render.word_settings import make_dutch

APPLICATION = "intervisie-docs (tools/build_templates.py)"
FIXED_ZIP_DATE = (2024, 1, 1, 0, 0, 0)

_APP_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/'
    f'docPropsVTypes"><Application>{APPLICATION}</Application></Properties>'
)
_THUMBNAIL = "docProps/thumbnail.jpeg"


def package(doc: DocumentObject) -> bytes:
    """The saved document without python-docx's blank thumbnail and its 'Microsoft
    Macintosh Word' app metadata (file browsers would show an empty preview), with fixed
    zip dates so an unchanged builder writes the same bytes."""
    make_dutch(doc)  # proofing language nl-NL, Word 2013+ mode (compatibilityMode 15)
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename == _THUMBNAIL:
                continue
            data = source.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = _APP_XML.encode("utf-8")
            elif info.filename == "_rels/.rels":
                data = _drop_relationship(data, _THUMBNAIL)
            member = zipfile.ZipInfo(info.filename, FIXED_ZIP_DATE)
            member.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(member, data)
    return out.getvalue()


def _drop_relationship(rels: bytes, target: str) -> bytes:
    from lxml import etree

    root = etree.fromstring(rels)
    for rel in list(root):
        if rel.get("Target") in (target, f"/{target}"):
            root.remove(rel)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))

