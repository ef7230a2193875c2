"""The e-mails as mail clients see them: read back with the standard library's parser,
the MIME tree of a meeting request (iMIP, RFC 6047) and of a cancellation; the HTML body."""

from __future__ import annotations

import datetime as dt
import re
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.mail import outbox
from pipeline.mail.smtp import prepared

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _read(data: bytes) -> EmailMessage:
    message = message_from_bytes(data, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def _tree(message: EmailMessage) -> list[object]:
    """The MIME tree as nested lists of content types."""
    if message.is_multipart():
        parts = message.get_payload()
        assert isinstance(parts, list)
        return [message.get_content_type(), [_tree(part) for part in parts]]
    return [message.get_content_type()]


def _check_meeting(path: Path, ics: bytes, method: str, filename: str, letter: str) -> None:
    data = path.read_bytes()
    message = _read(data)
    assert _tree(message) == [
        "multipart/mixed",
        [
            ["multipart/alternative", [["text/plain"], ["text/html"], ["text/calendar"]]],
            [letter],
            ["application/ics"],
        ],
    ]
    alternative = message.get_payload()[0]  # type: ignore[index]
    calendar_part = alternative.get_payload()[2]
    assert calendar_part.get_param("method") == method
    assert calendar_part.get_content_charset() == "utf-8"
    assert calendar_part.get_content_disposition() is None  # inline: the meeting itself
    assert calendar_part.get_payload(decode=True) == ics
    assert f"METHOD:{method}".encode() in ics
    # The header as Outlook writes it itself: the method as a bare token.
    header = f"\r\nContent-Type: text/calendar; method={method}; charset=utf-8\r\n"
    assert header.encode() in data
    attached = message.get_payload()[2]  # type: ignore[index]
    assert attached.get_content_disposition() == "attachment"
    assert attached.get_filename() == filename
    assert attached.get_param("method") is None  # one meeting, not two
    assert attached.get_payload(decode=True) == ics
    assert message["X-Unsent"] == "1"
    assert re.fullmatch(r"<[0-9a-f]{32}@voorbeeldstad\.nl>", str(message["Message-ID"]))
    # As it goes over SMTP: without the draft marker, the tree unchanged.
    sent = _read(prepared(data, dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)))
    assert sent["X-Unsent"] is None and _tree(sent) == _tree(message)


def test_an_invitation_is_a_meeting_request(cancelled_cycle: Path) -> None:
    path = next(cancelled_cycle.glob("e-mail/uitnodiging-lr-01-10001-*.eml"))
    ics = (cancelled_cycle / "agenda" / f"{path.stem}.ics").read_bytes()
    _check_meeting(path, ics, "REQUEST", "uitnodiging.ics", DOCX)


def test_a_cancellation_is_a_meeting_cancellation(cancelled_cycle: Path) -> None:
    (path,) = cancelled_cycle.glob("e-mail/afzegging-*.eml")
    (ics,) = cancelled_cycle.glob("afzeggingen/*.ics")
    _check_meeting(path, ics.read_bytes(), "CANCEL", "afzegging.ics", DOCX)


def test_every_message_of_the_cycle_has_the_tree(cancelled_cycle: Path) -> None:
    mails = sorted(cancelled_cycle.glob("e-mail/*.eml"))
    assert len(mails) == 13  # twelve invitations left and one cancellation
    for path in mails:
        message = _read(path.read_bytes())
        alternative = message.get_payload()[0]  # type: ignore[index]
        types = [p.get_content_type() for p in alternative.get_payload()]
        assert types == ["text/plain", "text/html", "text/calendar"], path.name
        method = alternative.get_payload()[2].get_param("method")
        assert method == ("CANCEL" if path.name.startswith("afzegging-") else "REQUEST")


def _mail(paragraphs: tuple[str, ...], sender: str = "hr@voorbeeldstad.nl") -> outbox.Mail:
    return outbox.Mail(
        "HR",
        sender,
        "Jan",
        "jan@example.nl",
        "Onderwerp",
        paragraphs,
        None,
        b"BEGIN:VCALENDAR\r\nMETHOD:CANCEL\r\nEND:VCALENDAR\r\n",
        "CANCEL",
        dt.datetime(2027, 2, 1, 9),
        "k",
    )


def test_a_cancellation_without_a_letter() -> None:
    message = _read(outbox.build(_mail(("Beste Jan,",))))
    assert _tree(message) == [
        "multipart/mixed",
        [
            ["multipart/alternative", [["text/plain"], ["text/html"], ["text/calendar"]]],
            ["application/ics"],
        ],
    ]


@pytest.mark.parametrize(
    ("sender", "domain"),
    [
        ("hr@voorbeeldstad.nl", "voorbeeldstad.nl"),
        ("p.de.vries@HR.Gemeente-Oost.NL", "hr.gemeente-oost.nl"),
        ("hr@bücher.nl", "xn--bcher-kva.nl"),  # IDNA: a header needs ASCII
    ],
)
def test_the_message_id_is_at_the_senders_domain(sender: str, domain: str) -> None:
    message_id = str(_read(outbox.build(_mail(("Tekst",), sender)))["Message-ID"])
    assert re.fullmatch(rf"<[0-9a-f]{{32}}@{re.escape(domain)}>", message_id)


class _Body(HTMLParser):
    """The paragraphs of an HTML body as text (a <br> as a line break) and its links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.links: list[tuple[str, str]] = []
        self._open: list[str] | None = None
        self._href: str | None = None
        self._link_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._open = []
        elif tag == "br" and self._open is not None:
            self._open.append("\n")
        elif tag == "a":
            self._href, self._link_text = dict(attrs)["href"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "p" and self._open is not None:
            self.paragraphs.append("".join(self._open))
            self._open = None
        elif tag == "a" and self._href is not None:
            self.links.append((self._href, "".join(self._link_text)))
            self._href = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            # The newline after a <br> is layout of the source, not text.
            after_break = self._open and self._open[-1] == "\n"
            self._open.append(data[1:] if after_break and data.startswith("\n") else data)
        if self._href is not None:
            self._link_text.append(data)


def _body(paragraphs: tuple[str, ...]) -> _Body:
    message = _read(outbox.build(_mail(paragraphs)))
    part = message.get_body(("html",))
    assert part is not None
    parser = _Body()
    parser.feed(part.get_content().replace("\r\n", "\n"))
    return parser


@pytest.mark.parametrize(
    ("text", "links"),
    [
        (
            "Neem contact op met Fatima via hr@voorbeeldstad.nl.",
            [("mailto:hr@voorbeeldstad.nl", "hr@voorbeeldstad.nl")],
        ),
        (
            "Online via https://teams.example.nl/j?a=1&b=2, tot dan.",
            [("https://teams.example.nl/j?a=1&b=2",) * 2],
        ),
        ("(zie https://intranet.nl/pad)", [("https://intranet.nl/pad",) * 2]),
        (
            "Link http://a.nl/x en p.de-vries+hr@gemeente.nl!",
            [
                ("http://a.nl/x",) * 2,
                ("mailto:p.de-vries+hr@gemeente.nl", "p.de-vries+hr@gemeente.nl"),
            ],
        ),
        ("Geen link: javascript:alert(1) of <script>x</script> & meer", []),
        ('https://x.nl/"onmouseover="alert(1)', [("https://x.nl/",) * 2]),
        ("www.voorbeeldstad.nl zonder schema", []),
    ],
)
def test_links_and_addresses_are_real_links(text: str, links: list[tuple[str, str]]) -> None:
    body = _body(("Beste Jan,", text))
    assert body.paragraphs == ["Beste Jan,", text]
    assert body.links == links


def test_the_signature_keeps_its_lines() -> None:
    message = outbox.build(
        _mail(("Met vriendelijke groet,", "Fatima el Amrani\nGemeente Voorbeeldstad"))
    )
    part = _read(message).get_body(("html",))
    assert part is not None
    html = part.get_content().replace("\r\n", "\n")
    assert "<p>Fatima el Amrani<br>\nGemeente Voorbeeldstad</p>" in html
    linked = _read(outbox.build(_mail(("Zie https://t.nl/j?a=1&b=2 of hr@x.nl.",))))
    part = linked.get_body(("html",))
    assert part is not None
    assert (
        '<p>Zie <a href="https://t.nl/j?a=1&amp;b=2">https://t.nl/j?a=1&amp;b=2</a> of '
        '<a href="mailto:hr@x.nl">hr@x.nl</a>.</p>'
    ) in part.get_content()
    assert _body(("Groet,", "Fatima el Amrani\nGemeente Voorbeeldstad")).paragraphs == [
        "Groet,",
        "Fatima el Amrani\nGemeente Voorbeeldstad",
    ]


def test_the_plain_text_keeps_the_paragraphs_and_lines() -> None:
    part = _read(outbox.build(_mail(("Beste Jan,", "Fatima\nGemeente")))).get_body(("plain",))
    assert part is not None
    assert part.get_content().replace("\r\n", "\n") == "Beste Jan,\n\nFatima\nGemeente\n"


_TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\r"), max_size=20
)
_PIECES = st.sampled_from(
    ["https://a.nl/x?y=1&z=2", "hr@gemeente.nl", "http://b.nl", "mailto:", ".", ")", " ", "<a>"]
)
_LINE = st.lists(st.one_of(_TEXT, _PIECES), max_size=6).map("".join)


@settings(deadline=None, max_examples=50)
@given(st.lists(st.lists(_LINE, min_size=1, max_size=3).map("\n".join), min_size=1, max_size=4))
def test_any_text_comes_back_from_the_html_and_every_link_is_web_or_mail(
    paragraphs: list[str],
) -> None:
    body = _body(tuple(paragraphs))
    assert body.paragraphs == paragraphs
    for href, shown in body.links:
        assert href in (shown, f"mailto:{shown}")
        assert href.startswith(("https://", "http://", "mailto:"))
