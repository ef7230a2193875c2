"""Owner-only, path-safe file writing: the I/O primitives every writing stage shares."""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from pipeline.errors import OutputError

DIR_MODE = 0o700  # personal data: the owner only
FILE_MODE = 0o600
# One timestamp for every zip member we write: the same input gives the same bytes.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)


def inside(root: Path, relpath: PurePosixPath) -> Path:
    """Resolve relpath under root, refusing anything that would end up outside it."""
    if relpath.is_absolute() or ".." in relpath.parts:
        raise OutputError(f"onveilig pad voor uitvoer: '{relpath}'")
    path = root.joinpath(*relpath.parts)
    if not path.resolve().is_relative_to(root.resolve()):
        raise OutputError(f"onveilig pad voor uitvoer: '{relpath}'")
    return path


def make_private_dirs(folder: Path) -> None:
    """mkdir -p where every folder it creates (not only the last) is owner-only."""
    missing = []
    while not folder.exists():
        missing.append(folder)
        folder = folder.parent
    for each in reversed(missing):
        each.mkdir(mode=DIR_MODE, exist_ok=True)


# Folders found inside their root by a full check, by (device, inode, root): a run
# writes thousands of files into a few folders, and resolving every path (an lstat per
# component) cost more than writing the file.
_CHECKED_FOLDERS: set[tuple[int, int, str]] = set()
_NO_FOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _checked_folder(root: Path, relpath: PurePosixPath) -> Path:
    """The folder `relpath` goes in, created if needed and known to be inside root."""
    if relpath.is_absolute() or ".." in relpath.parts:
        raise OutputError(f"onveilig pad voor uitvoer: '{relpath}'")
    folder = root.joinpath(*relpath.parts[:-1])
    try:
        found = os.stat(folder, follow_symlinks=False)
        if stat.S_ISDIR(found.st_mode) and (found.st_dev, found.st_ino, str(root)) in (
            _CHECKED_FOLDERS
        ):
            return folder  # the very folder checked before (a link there has another inode)
    except OSError:
        pass
    inside(root, relpath)
    make_private_dirs(folder)
    found = os.stat(folder, follow_symlinks=False)
    _CHECKED_FOLDERS.add((found.st_dev, found.st_ino, str(root)))
    return folder


def write_file(root: Path, relpath: PurePosixPath, data: bytes) -> Path:
    """Write one file under root, owner-only, creating folders as needed. The path may
    not leave root, through '..' or a link on the way; a link in the file's own place
    is refused (never followed)."""
    path = _checked_folder(root, relpath) / relpath.name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NO_FOLLOW, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return path


def write_chunks(root: Path, relpath: PurePosixPath, chunks: Iterable[bytes]) -> Path:
    """write_file() for data made in pieces, written as they come."""
    path = _checked_folder(root, relpath) / relpath.name
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | _NO_FOLLOW, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        for chunk in chunks:
            handle.write(chunk)
    return path


def write_atomic(path: Path, data: bytes) -> None:
    """A single file published with os.replace (temporary name in the same folder)."""
    make_private_dirs(path.parent)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        write_file(path.parent, PurePosixPath(temporary.name), data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def zip_member(name: str, compress_type: int = zipfile.ZIP_DEFLATED) -> zipfile.ZipInfo:
    """A member with the fixed date and owner-only mode, the same on every platform."""
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compress_type
    info.create_system = 3  # Unix: external_attr holds a Unix mode
    info.external_attr = FILE_MODE << 16
    return info


class ZipBase:
    """A zip that many archives are made from by appending members (one per document).

    zip_with() in append mode reads the base's directory again for every archive; this
    reads it once and gives zipfile the parsed directory, so each archive is written
    as append mode writes it: the same bytes."""

    def __init__(self, base: bytes) -> None:
        self.base = base
        with zipfile.ZipFile(io.BytesIO(base)) as archive:
            self._infos = tuple(archive.infolist())
            self._start = archive.start_dir
            self._plain = not archive.comment  # append mode keeps a comment; 'w' not
        self._prefix = base[: self._start]

    def with_members(self, members: Sequence[tuple[str, bytes]], level: int = 6) -> bytes:
        """zip_with(base, members, level)."""
        if not members or not self._plain:
            return zip_with(self.base, members, level)
        buffer = io.BytesIO()
        buffer.write(self._prefix)  # the new members overwrite the old directory
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.filelist = list(self._infos)
            archive.NameToInfo = {info.filename: info for info in self._infos}
            for name, data in members:
                archive.writestr(zip_member(name), data, compresslevel=level)
        return buffer.getvalue()


def zip_with(base: bytes, members: Iterable[tuple[str, bytes]], level: int = 6) -> bytes:
    """The zip `base` (b"" for none) with `members` appended, deflated at `level`.

    Appending leaves the base's compressed members as they are, so a package's
    unchanging parts are compressed once and copied per document."""
    buffer = io.BytesIO(base)
    with zipfile.ZipFile(buffer, "a" if base else "w") as archive:
        for name, data in members:
            archive.writestr(zip_member(name), data, compresslevel=level)
    return buffer.getvalue()
