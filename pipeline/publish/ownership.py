"""What a run may replace: only a cycle folder this program wrote, for this cycle.

A cycle folder is ours when it holds our manifest.json naming the same cycle, and
every file in it is one that manifest lists, unchanged. Anything else (the workbook,
the signature or the templates kept there, an HR note, an edited letter, another
cycle's documents, a symlink) makes the run refuse before it writes anything: the
program never deletes or overwrites what it did not write.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence, Set
from pathlib import Path, PurePosixPath

from pipeline.errors import OutputError
from pipeline.identity import same_cycle
from pipeline.publish.manifest import MANIFEST_JSON, read_manifest, sha256_file

# Files every run writes beside the documents; the manifest does not list them.
MANIFEST_NAMES = (MANIFEST_JSON, "manifest.csv", "wijzigingen.csv")
# What file managers leave in a folder someone merely looked at: no one's data, made
# again when needed; these do not stop a run and go with the old folder.
DISPOSABLE = frozenset({".ds_store", "thumbs.db", "desktop.ini"})
# Lock files of a document open in Word ('~$...') or LibreOffice ('.~lock....#').
_OPEN_DOCUMENT = ("~$", ".~lock.")
_SHOWN = 5  # files named in a refusal; the rest are counted


def _refuse(message: str) -> OutputError:
    return OutputError(f"{message}. Er is niets geschreven.")


def _is_within(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a symlink loop: treat as not ours to judge
        return False


def _listing(names: Sequence[str]) -> str:
    shown = ", ".join(f"'{n}'" for n in names[:_SHOWN])
    rest = len(names) - _SHOWN
    return shown + (f" en nog {rest} andere" if rest > 0 else "")


def _rows(record: object) -> list[dict[str, object]]:
    """Every entry with a 'pad' anywhere in the manifest: the documents, and any other
    file a stage lists there (a file the program writes into the cycle folder must be
    listed in manifest.json, or the next run takes it for HR's)."""
    if isinstance(record, list):
        return [row for item in record for row in _rows(item)]
    if not isinstance(record, dict):
        return []
    own = [record] if isinstance(record.get("pad"), str) else []
    return own + [row for value in record.values() for row in _rows(value)]


def _listed_files(record: Mapping[str, object]) -> dict[str, str]:
    """pad -> sha256 of every file the manifest lists."""
    listed: dict[str, str] = {}
    for row in _rows(record):  # a history entry without a sha256 names a file listed too
        name = str(PurePosixPath(str(row["pad"])))
        listed[name] = str(row.get("sha256", "")) or listed.get(name, "")
    return listed


def _entries(folder: Path) -> list[tuple[str, Path]]:
    """Every file, symlink or other non-folder under `folder` (symlinks not followed)."""
    found = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        for name in [d for d in dirnames if (here / d).is_symlink()] + filenames:
            path = here / name
            found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def _changed(path: Path, listed: str, own: Set[str], written: int) -> bool:
    """Whether a listed file differs from what the program wrote (`own`: every version
    of it the register knows the program wrote). A manifest listing bytes the program
    never wrote is an edit a --soort run carried over. Otherwise only a file changed after
    the manifest was written is read and hashed: a run's documents all predate it, and a
    large cycle folder is then checked without reading every document again. The change
    time (ctime) is used: unlike mtime, no copy or tool can set it back."""
    if listed and listed not in own:
        return True
    if path.stat().st_ctime_ns < written:
        return False
    return sha256_file(path) not in own


_ELSEWHERE = "of kies met --uitvoer een andere uitvoermap"


def ensure_replaceable(
    target: Path,
    cycle: str,
    protected: Mapping[str, Path],
    replaced_kinds: Sequence[str] | None,
    written_by_us: Mapping[str, Set[str]] | None = None,
) -> None:
    """Refuse (OutputError, in Dutch, saying what to do) unless `target` may be replaced
    by a run of `cycle` that writes the documents of `replaced_kinds` (None: all of them,
    a full run) and carries the others over. `protected` maps
    a description ('het werkboek') to a path the run reads and must never remove.
    `written_by_us` is the register's record of the bytes the program wrote per file;
    a file it does not know is judged by the manifest alone."""
    _refuse_protected_or_link(target, protected)
    if not target.exists():
        return
    record = _our_manifest(target, cycle)
    foreign, edited = _foreign_and_edited(target, record, replaced_kinds, written_by_us or {})
    if foreign:
        raise _refuse_foreign(target, foreign)
    if edited:
        raise _refuse(
            f"in de map '{target}' zijn documenten gewijzigd sinds de vorige run: "
            f"{_listing(edited)}. De run zou ze vervangen; bewaar de gewijzigde versie "
            f"buiten de map (of verwijder ze als u ze niet meer nodig hebt) en start de "
            f"run opnieuw"
        )


def _refuse_protected_or_link(target: Path, protected: Mapping[str, Path]) -> None:
    """A file the run reads must not stand in the folder it replaces, and the folder
    must be a real one, not a symlink."""
    for what, path in protected.items():
        if _is_within(path, target):
            raise _refuse(
                f"{what} '{path}' staat in de map '{target}', die het programma bij elke "
                f"run vervangt; zet {what} buiten die map (bijvoorbeeld naast de "
                f"uitvoermap) {_ELSEWHERE}"
            )
    if target.is_symlink():
        raise _refuse(
            f"'{target}' is een snelkoppeling (symbolische link) en geen gewone map; het "
            f"programma vervangt alleen een map die het zelf heeft gemaakt. Verwijder of "
            f"hernoem de snelkoppeling {_ELSEWHERE}"
        )


def _our_manifest(target: Path, cycle: str) -> Mapping[str, object]:
    """The manifest of an existing `target`, when it is a folder this program wrote for
    the same cycle (identity.same_cycle); refuse otherwise."""
    if not target.is_dir():
        raise _refuse(
            f"'{target}' is een bestand en geen map; hernoem of verplaats het {_ELSEWHERE}"
        )
    record = read_manifest(target)
    if record is None:
        raise _refuse(
            f"de map '{target}' is niet door dit programma gemaakt (er staat geen "
            f"leesbaar manifest.json van intervisie-docs in) en wordt dus niet vervangen; "
            f"hernoem of verplaats die map {_ELSEWHERE}"
        )
    other = record.get("cyclus")
    if not isinstance(other, str) or not same_cycle(other, cycle):
        raise _refuse(
            f"de map '{target}' bevat de documenten van een andere cyclus ('{other}') en "
            f"wordt niet vervangen; hernoem of verplaats die map {_ELSEWHERE}"
        )
    return record


def _foreign_and_edited(
    target: Path,
    record: Mapping[str, object],
    replaced_kinds: Sequence[str] | None,
    own: Mapping[str, Set[str]],
) -> tuple[list[str], list[str]]:
    """The files in `target` the manifest does not list (or that are no plain file), and
    the listed files of the replaced kinds that changed since the program wrote them."""
    listed = _listed_files(record)
    replaced = set(listed)
    if replaced_kinds is not None:
        replaced = {
            str(PurePosixPath(str(row["pad"])))
            for row in _rows(record)
            if row.get("soort") in replaced_kinds
        }
    written = (target / MANIFEST_JSON).stat().st_ctime_ns  # the run's last file
    foreign: list[str] = []
    edited: list[str] = []
    for name, path in _entries(target):
        if name in MANIFEST_NAMES and not path.is_symlink():
            continue
        if path.name.casefold() in DISPOSABLE and path.is_file() and not path.is_symlink():
            continue
        if name not in listed or path.is_symlink() or not path.is_file():
            foreign.append(name)
        elif name in replaced and _changed(
            path, listed[name], own.get(name) or {listed[name]}, written
        ):
            edited.append(name)
    return foreign, edited


def _refuse_foreign(target: Path, foreign: Sequence[str]) -> OutputError:
    open_hint = ""
    if any(PurePosixPath(name).name.startswith(_OPEN_DOCUMENT) for name in foreign):
        open_hint = (
            " (een naam die met '~$' of '.~lock.' begint: er staat nog een document "
            "open in Word of LibreOffice; sluit het eerst)"
        )
    return _refuse(
        f"in de map '{target}' staan bestanden die het programma niet heeft gemaakt: "
        f"{_listing(foreign)}{open_hint}. Het programma verwijdert die niet; verplaats "
        f"ze naar een andere map en start de run opnieuw"
    )


__all__ = ["MANIFEST_NAMES", "ensure_replaceable", "read_manifest", "same_cycle"]
