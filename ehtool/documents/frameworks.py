"""Outcome frameworks as files: the bundled ones by id, a partnership's by path."""

from __future__ import annotations

import tomllib
from pathlib import Path

from ehtool.documents import inputs
from ehtool.domain.outcomes import DEFAULT_FRAMEWORK, Framework, framework_from_data
from ehtool.errors import InvalidInput, NotFound
from ehtool.paths import bundled_frameworks

__all__ = ["available_frameworks", "load_framework"]


def available_frameworks() -> list[str]:
    folder = bundled_frameworks()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.toml"))


def _resolve(name_or_path: str | Path) -> Path:
    if isinstance(name_or_path, Path):
        return name_or_path
    text = str(name_or_path).strip()
    if text.endswith(".toml") or "/" in text or "\\" in text:
        return Path(text).expanduser()
    bundled = bundled_frameworks() / f"{text.replace('-', '_')}.toml"
    if not bundled.is_file():
        raise NotFound(
            f"No bundled outcome framework {text!r}.",
            hint="Bundled frameworks: "
            + (", ".join(available_frameworks()) or "none")
            + ". Or give the path of a .toml file.",
        )
    return bundled


def load_framework(name_or_path: str | Path = DEFAULT_FRAMEWORK) -> Framework:
    """Load and validate a framework: a bundled id (``supporting_families``) or a .toml path.

    Raises NotFound if there is no such file, InvalidInput (with one problem per
    mistake, each naming its place, e.g. ``areas[3] (id 'housing'): name is missing``)
    if the file is not a valid framework.
    """
    path = _resolve(name_or_path)
    if not path.exists():
        raise NotFound(f"Outcome framework file not found: {path}")
    raw = inputs.read_bytes(path, what="outcome framework file", max_bytes=inputs.MAX_DOCUMENT_BYTES)
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"Outcome framework {path} is not valid.",
            problems=[f"not UTF-8 text (byte {exc.start})"],
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(f"Outcome framework {path} is not valid TOML.", problems=[str(exc)]) from None
    return framework_from_data(data, path)
