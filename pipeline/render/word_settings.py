"""Dutch proofing language and Word 2013+ mode in a Word package's styles and settings.

Word spell-checks text in the language of the document defaults (`w:docDefaults`) unless
a style or run says otherwise, and opens a file whose `compatibilityMode` is below 15 in
Compatibility Mode. Both are set on every template as it is built (`make templates`,
tools/template_builder/package.py) and again on every template as it is prepared for
rendering, so a template HR made elsewhere still gives documents in Dutch, opened as
current Word documents. LibreOffice takes the PDF's /Lang from the same default.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

LANGUAGE = "nl-NL"
COMPATIBILITY_MODE = "15"  # Word 2013 and later
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_WORD_URI = "http://schemas.microsoft.com/office/word"
# Children of w:rPr that follow w:lang (ECMA-376 CT_RPr order).
_AFTER_LANG = ("eastAsianLayout", "specVanish", "oMath")
# Children of w:settings that follow w:compat (ECMA-376 CT_Settings order).
_AFTER_COMPAT = (
    "docVars", "rsids", "mathPr", "attachedSchema", "themeFontLang", "clrSchemeMapping",
    "doNotIncludeSubdocsInStats", "doNotAutoCompressPictures", "forceUpgrade", "captions",
    "readModeInkLockDown", "smartTagType", "schemaLibrary", "shapeDefaults",
    "doNotEmbedSmartTags", "decimalSymbol", "listSeparator",
)


def w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _child(
    parent: etree._Element, name: str, before: tuple[str, ...] = (), first: bool = False
) -> etree._Element:
    """`parent`'s child `name`, created in schema order when missing: before the first
    child whose local name is in `before` (at the start with `first`), else at the end."""
    found = parent.find(w(name))
    if found is not None:
        return found
    created = etree.Element(w(name))
    if first:
        parent.insert(0, created)
        return created
    for index, child in enumerate(parent):
        if isinstance(child.tag, str) and etree.QName(child).localname in before:
            parent.insert(index, created)
            return created
    parent.append(created)
    return created


def dutch_styles(styles: etree._Element) -> None:
    """The document defaults in Dutch (nl-NL), and every style that names a language."""
    defaults = _child(styles, "docDefaults", first=True)
    run_defaults = _child(defaults, "rPrDefault", first=True)
    properties = _child(run_defaults, "rPr")
    _child(properties, "lang", _AFTER_LANG).set(w("val"), LANGUAGE)
    for style in styles.iter(w("style")):
        for lang in style.iter(w("lang")):
            if lang.get(w("val")) is not None:
                lang.set(w("val"), LANGUAGE)


def current_word(settings: etree._Element) -> None:
    """compatibilityMode 15 (Word 2013+) in `settings`, and the theme fonts' language."""
    compat = _child(settings, "compat", _AFTER_COMPAT)
    for setting in compat.iter(w("compatSetting")):
        if setting.get(w("name")) == "compatibilityMode":
            setting.set(w("val"), COMPATIBILITY_MODE)
            break
    else:
        etree.SubElement(
            compat,
            w("compatSetting"),
            {w("name"): "compatibilityMode", w("uri"): _WORD_URI, w("val"): COMPATIBILITY_MODE},
        )
    theme_language = settings.find(w("themeFontLang"))
    if theme_language is not None:
        theme_language.set(w("val"), LANGUAGE)


def make_dutch(document: Any) -> None:
    """Both of the above on a python-docx Document (styles and settings parts)."""
    dutch_styles(document.styles.element)
    current_word(document.settings.element)
