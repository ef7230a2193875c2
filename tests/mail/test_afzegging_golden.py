"""Golden text of the cancellation letter and e-mail: formal and informal, post and internal."""

from __future__ import annotations

import os
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import cast

import pytest

from pipeline.run import RunResult
from tests.docx_text import body_lines
from tests.mail.conftest import run_cancelling

GOLDEN = Path(__file__).parent.parent / "golden"
CASES = {
    # Robin Meijer: 'neutraal' (je), postal address, an online session.
    "afzegging-au-01-10007.txt": "au-01-10007",
    # Iris de Boer: 'mevrouw' (u), no postal address (internal post).
    "afzegging-iv-01-10012.txt": "iv-01-10012",
    # 10001 keeps LR-01: the letter names the session that still stands.
    "afzegging-iv-01-10001.txt": "iv-01-10001",
}


@pytest.fixture(scope="module")
def cancelled(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    return run_cancelling(
        tmp_path_factory.mktemp("afzegging"),
        ("AU-01", 10007),
        ("IV-01", 10012),
        ("IV-01", 10001),
    )


def _text(result: RunResult, fragment: str) -> str:
    (letter,) = (result.target / "afzeggingen").glob(f"*{fragment}*.docx")
    (mail,) = (result.target / "e-mail").glob(f"afzegging-*{fragment}*.eml")
    message = cast(EmailMessage, message_from_bytes(mail.read_bytes(), policy=policy.SMTP))
    body = message.get_body(("plain",))
    assert body is not None
    return (
        "\n".join(body_lines(letter))
        + f"\n--- e-mail ---\nAan: {message['To']}\nOnderwerp: {message['Subject']}\n"
        + body.get_content().replace("\r\n", "\n")
    )


@pytest.mark.parametrize("golden", sorted(CASES))
def test_golden_cancellation(cancelled: RunResult, golden: str) -> None:
    actual = _text(cancelled, CASES[golden])
    path = GOLDEN / golden
    if os.environ.get("GOLDEN_BIJWERKEN") == "1":
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"{golden} ontbreekt; draai met GOLDEN_BIJWERKEN=1"
    assert actual == path.read_text(encoding="utf-8"), (
        f"de afzegging wijkt af van tests/golden/{golden}; "
        "is de wijziging bedoeld, draai dan GOLDEN_BIJWERKEN=1 pytest"
    )
