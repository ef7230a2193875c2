"""Typed access to a content TOML file: every value checked for its type, every key that
nobody asked for refused, each problem a ContentProblem naming the file and field."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pipeline.errors import ContentProblem, describe_os_error


class TomlReader:
    """Typed access to one TOML table, raising ContentProblem with file and field."""

    def __init__(self, data: Mapping[str, Any], source: str, where: str = "") -> None:
        self.data, self.source, self.where = data, source, where
        self.read: set[str] = set()
        self.children: list[TomlReader] = []

    def _place(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _fail(self, key: str, expected: str) -> ContentProblem:
        if key not in self.data:
            return ContentProblem(f"ontbreekt ({expected})", self.source, self._place(key))
        return ContentProblem(f"moet {expected} zijn", self.source, self._place(key))

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return self.data.get(key, default)

    def ensure_all_read(self) -> None:
        """A misspelt key would silently be lost: refuse keys nobody asked for."""
        unknown = sorted(set(self.data) - self.read)
        if unknown:
            raise ContentProblem(
                "onbekend veld"
                + (
                    " (let op: velden na een [[tabel]]-kop horen bij die tabel)"
                    if self.children or self.where
                    else ""
                ),
                self.source,
                self._place(unknown[0]),
            )
        for child in self.children:
            child.ensure_all_read()

    def text(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default)
        if not isinstance(value, str) or (default is None and not value.strip()):
            raise self._fail(key, "een niet-lege tekst")
        return value.strip()

    def texts(self, key: str, allow_empty: bool = False) -> tuple[str, ...]:
        value = self.get(key, [] if allow_empty else None)
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self._fail(key, "een lijst met teksten")
        if not value and not allow_empty:
            raise self._fail(key, "een niet-lege lijst met teksten")
        return tuple(v.strip() for v in value)

    def integer(self, key: str, default: int | None = None, minimum: int = 0) -> int | None:
        value = self.get(key, default)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self._fail(key, f"een geheel getal van {minimum} of meer")
        return value

    def required_integer(self, key: str, minimum: int = 1) -> int:
        value = self.integer(key, minimum=minimum)
        if value is None:
            raise self._fail(key, f"een geheel getal van {minimum} of meer")
        return value

    def choice(self, key: str, allowed: tuple[str, ...]) -> str | None:
        value = self.get(key)
        if value is not None and value not in allowed:
            raise self._fail(key, " of ".join(f"'{a}'" for a in allowed))
        return value  # type: ignore[no-any-return]

    def flag(self, key: str) -> bool:
        value = self.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "true of false")
        return value

    def tables(self, key: str, allow_empty: bool = False) -> list[TomlReader]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._fail(key, "een lijst van tabellen ([[...]])")
        if not value and not allow_empty:
            raise self._fail(key, "een niet-lege lijst van tabellen ([[...]])")
        readers = [TomlReader(v, self.source, f"{key}[{i + 1}]") for i, v in enumerate(value)]
        self.children.extend(readers)
        return readers


def load_toml(path: Path) -> TomlReader:
    try:
        with path.open("rb") as handle:
            return TomlReader(tomllib.load(handle), path.name)
    except FileNotFoundError:
        raise ContentProblem("ontbreekt", path.name) from None
    except OSError as exc:
        raise ContentProblem(
            "kan niet worden gelezen", path.name, detail=describe_os_error(exc)
        ) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ContentProblem("is geen geldige TOML", path.name, detail=str(exc)) from None
