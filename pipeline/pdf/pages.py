"""The PDFs LibreOffice makes, made deterministic and split: pikepdf on its output.

finish() gives a PDF its document's own metadata (XMP with the PDF/A-2b identification,
and an information dictionary that agrees with it), the document date instead of the
clock (also inside the sRGB output profile) and an ID derived from the content, so the
same input gives the same bytes. extract_pages() and document_starts() split a joined
conversion at the bookmarks pipeline.pdf.join put in.
"""

from __future__ import annotations

import datetime as dt
import io
import struct
import typing

import pikepdf
from lxml import etree

from pipeline.pdf.join import START
from pipeline.render.prepared import CoreProperties
from pipeline.render.word_settings import LANGUAGE


def _pdf_date(moment: dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%SZ")


def _xmp(props: CoreProperties, producer: str, moment: dt.datetime) -> bytes:
    """The XMP packet, ours entirely: PDF/A-2b identification and the same values as the
    document information dictionary (PDF/A requires the two to agree)."""
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    ns = {
        "x": "adobe:ns:meta/",
        "rdf": rdf,
        "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
        "dc": "http://purl.org/dc/elements/1.1/",
        "pdf": "http://ns.adobe.com/pdf/1.3/",
        "xmp": "http://ns.adobe.com/xap/1.0/",
    }
    root = etree.Element(f"{{{ns['x']}}}xmpmeta", nsmap={"x": ns["x"]})
    description = etree.SubElement(
        etree.SubElement(root, f"{{{rdf}}}RDF", nsmap={"rdf": rdf}),
        f"{{{rdf}}}Description",
        nsmap={k: v for k, v in ns.items() if k not in ("x", "rdf")},
    )
    description.set(f"{{{rdf}}}about", "")

    def simple(prefix: str, name: str, value: str) -> None:
        etree.SubElement(description, f"{{{ns[prefix]}}}{name}").text = value

    def container(name: str, kind: str, value: str) -> None:
        item = etree.SubElement(
            etree.SubElement(etree.SubElement(description, f"{{{ns['dc']}}}{name}"), kind),
            f"{{{rdf}}}li",
        )
        if kind.endswith("Alt"):
            item.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
        item.text = value

    simple("pdfaid", "part", "2")
    simple("pdfaid", "conformance", "B")
    container("title", f"{{{rdf}}}Alt", props.title)
    container("language", f"{{{rdf}}}Bag", LANGUAGE)
    container("creator", f"{{{rdf}}}Seq", props.author)
    container("description", f"{{{rdf}}}Alt", props.subject)
    simple("pdf", "Producer", producer)
    simple("pdf", "Keywords", props.keywords)
    simple("xmp", "CreatorTool", "Writer")
    simple("xmp", "CreateDate", stamp)
    simple("xmp", "ModifyDate", stamp)
    simple("xmp", "MetadataDate", stamp)
    body: bytes = etree.tostring(root, encoding="UTF-8")
    return (
        b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        + body
        + b'\n<?xpacket end="w"?>'
    )


def _fix_icc_profiles(pdf: pikepdf.Pdf, moment: dt.datetime) -> None:
    """LibreOffice writes the output intent's sRGB profile with the clock in its header
    (and an ID derived from it): fix the date and clear the ID (zero means 'not set')."""
    stamp = struct.pack(
        ">6H", moment.year, moment.month, moment.day, moment.hour, moment.minute, moment.second
    )
    for intent in pdf.Root.get("/OutputIntents", pikepdf.Array()):
        profile = intent.get("/DestOutputProfile")
        if not isinstance(profile, pikepdf.Stream):
            continue
        data = bytearray(profile.read_bytes())
        if len(data) >= 128:
            data[24:36] = stamp
            data[84:100] = bytes(16)
            profile.write(bytes(data))


def _internal(annotation: pikepdf.Object) -> bool:
    """A link to a place in the document itself (LibreOffice makes one of each page
    reference, such as the 'van N' of a footer), not to a web address."""
    if annotation.get("/Subtype") != pikepdf.Name.Link:
        return False
    action = annotation.get("/A")
    return "/Dest" in annotation or (
        isinstance(action, pikepdf.Dictionary) and action.get("/S") == pikepdf.Name.GoTo
    )


def _drop_internal_links(pdf: pikepdf.Pdf) -> None:
    """Our documents link only to the web; the names internal links pointed at are gone."""
    for page in pdf.pages:
        if "/Annots" not in page.obj:
            continue
        kept = [a for a in page.obj.Annots if not _internal(a)]
        if len(kept) != len(page.obj.Annots):
            page.obj.Annots = pikepdf.Array(kept)


def finish(pdf: pikepdf.Pdf, props: CoreProperties, moment: dt.datetime) -> bytes:
    """Give `pdf` its document's metadata, fixed dates and a content-derived ID."""
    out = io.BytesIO()
    finish_into(pdf, props, moment, out)
    return out.getvalue()


def finish_into(
    pdf: pikepdf.Pdf, props: CoreProperties, moment: dt.datetime, out: typing.BinaryIO
) -> None:
    """finish(), written to `out` as it is made (a print bundle is never held whole)."""
    _fix_icc_profiles(pdf, moment)
    producer = str(pdf.docinfo.get("/Producer", "LibreOffice"))
    for key in ("/Dests", "/Names", "/Outlines", "/OpenAction"):
        if key in pdf.Root:
            del pdf.Root[key]
    pdf.Root.Lang = pikepdf.String(LANGUAGE)  # also where no document said so (a bundle)
    _drop_internal_links(pdf)
    pdf.Root.Metadata = pdf.make_stream(
        _xmp(props, producer, moment),
        pikepdf.Dictionary(Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML),
    )
    date = _pdf_date(moment)
    pdf.trailer.Info = pdf.make_indirect(
        pikepdf.Dictionary(
            Title=props.title,
            Author=props.author,
            Subject=props.subject,
            Keywords=props.keywords,
            Creator="Writer",
            Producer=producer,
            CreationDate=date,
            ModDate=date,
        )
    )
    # LibreOffice's ID and DocChecksum come from the clock; qpdf would keep them.
    for key in ("/ID", "/DocChecksum"):
        if key in pdf.trailer:
            del pdf.trailer[key]
    pdf.save(out, deterministic_id=True, compress_streams=True)


def copy_into(target: pikepdf.Pdf, value: object) -> object:
    """`value` from another PDF into `target`; copy_foreign takes indirect objects only."""
    if not isinstance(value, pikepdf.Object):
        return value  # a bool, number or string: pikepdf gives these as Python values
    if value.is_indirect:
        return target.copy_foreign(value)
    if isinstance(value, pikepdf.Array):
        return pikepdf.Array([copy_into(target, item) for item in value])
    if isinstance(value, pikepdf.Dictionary):
        return pikepdf.Dictionary({key: copy_into(target, item) for key, item in value.items()})
    return value


def extract_pages(
    source: pikepdf.Pdf, first: int, end: int, structure: pikepdf.Object | None = None
) -> pikepdf.Pdf:
    """Pages [first, end) of `source` as a PDF of their own, with its output intent; with
    `structure` (a structure tree root in `source` for these pages, pipeline.pdf.structure)
    a tagged PDF, else an untagged one."""
    target = pikepdf.new()
    target.pages.extend(source.pages[first:end])
    for key in ("/OutputIntents", "/Lang", "/ViewerPreferences"):
        if key in source.Root:
            target.Root[key] = copy_into(target, source.Root[key])
    if structure is not None:
        # After the pages, so that its references to them resolve to the copies.
        target.Root.StructTreeRoot = target.copy_foreign(structure)
        target.Root.MarkInfo = pikepdf.Dictionary(Marked=True)
    else:  # the structure tree spans the whole source; drop its references
        for page in target.pages:
            if "/StructParents" in page:
                del page.obj["/StructParents"]
    return target


def document_starts(pdf: pikepdf.Pdf) -> list[int]:
    """Page index of each marked document, in mark order."""
    found: dict[str, int] = {}
    pages: dict[tuple[int, int], int] = {
        page.obj.objgen: index for index, page in enumerate(pdf.pages)
    }
    dests: list[tuple[str, pikepdf.Object]] = []
    if "/Dests" in pdf.Root:
        dests += [(str(k), v) for k, v in pdf.Root.Dests.items()]
    if "/Names" in pdf.Root and "/Dests" in pdf.Root.Names:
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        dests += [(str(k), v) for k, v in tree.items()]
    for name, destination in dests:
        name = name.lstrip("/")
        if isinstance(destination, pikepdf.Dictionary) and "/D" in destination:
            destination = destination.D
        if name.startswith(START) and isinstance(destination, pikepdf.Array):
            page = destination[0]
            if isinstance(page, pikepdf.Object) and page.objgen in pages:
                found[name] = pages[page.objgen]
    return [found[name] for name in sorted(found)]
