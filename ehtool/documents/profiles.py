"""Threshold profiles as files: the bundled ones by id, a partnership's by path.

Reading is bounded (``documents.inputs``); what a profile may contain and how it
is checked live in :mod:`ehtool.domain.profile_schema`.
"""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path

from ehtool import paths
from ehtool.documents import inputs
from ehtool.domain.thresholds import DEFAULT_PROFILE, Profile, validate_profile_data
from ehtool.errors import InvalidInput, NotFound

__all__ = ["DEFAULT_PROFILE", "list_profiles", "load_profile", "validate_profile_file"]

# ---------------------------------------------------------------------------------


def _bundled_ids() -> list[str]:
    folder = paths.bundled_profiles()
    if not folder.is_dir():
        return []
    return sorted(p.stem for p in folder.glob("*.toml"))


def list_profiles() -> list[dict[str, str]]:
    """The bundled profiles as ``{"id", "name", "version"}``, sorted by id."""
    out = []
    for stem in _bundled_ids():
        profile = load_profile(stem)
        out.append({"id": profile.id, "name": profile.name, "version": profile.version})
    return sorted(out, key=lambda d: d["id"])


def _looks_like_path(text: str) -> bool:
    return text.endswith(".toml") or "/" in text or os.sep in text or text.startswith(".")


def _resolve(name_or_path: str | os.PathLike) -> Path:
    text = os.fspath(name_or_path).strip()
    if isinstance(name_or_path, os.PathLike) or _looks_like_path(text):
        path = Path(text).expanduser()
        if not path.exists():  # anything else that is not a file is refused when read
            raise NotFound(
                f"No threshold profile file at {path}.",
                hint="Give a bundled profile id or the path to a .toml profile file.",
            )
        return path.resolve()
    wanted = text.casefold()
    for stem in _bundled_ids():
        if stem.casefold() == wanted:
            return (paths.bundled_profiles() / f"{stem}.toml").resolve()
    available = ", ".join(_bundled_ids()) or "(none)"
    raise NotFound(
        f'No threshold profile called "{text}".',
        hint=f"Bundled profiles: {available}. Or give the path to a .toml profile file.",
    )


def load_profile(name_or_path: str | os.PathLike) -> Profile:
    """A bundled profile by id (case-insensitive) or a profile file by path.

    Unknown id or missing file: NotFound. Invalid file: InvalidInput listing every
    problem. Parsed profiles are cached per file (path, modification time, size)."""
    path = _resolve(name_or_path)
    stat = path.stat()
    return _load_cached(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _load_cached(path: str, mtime_ns: int, size: int) -> Profile:
    return validate_profile_file(path)


def validate_profile_file(path: str | os.PathLike) -> Profile:
    """Read and validate one profile file (no cache); its id defaults to the file's stem."""
    path = Path(path)
    raw = inputs.read_bytes(path, what="threshold profile file", max_bytes=inputs.MAX_DOCUMENT_BYTES)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"The threshold profile {path} is not valid TOML.",
            hint="Save the file as UTF-8 text.",
            problems=[f"not UTF-8 text (byte {exc.start})"],
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            f"The threshold profile {path} is not valid TOML.",
            hint="Fix the syntax at the line and column given.",
            problems=[f"TOML syntax error: {exc}"],
        ) from None
    except RecursionError:
        raise InvalidInput(f"The threshold profile {path} is nested too deeply to be a profile.") from None
    return validate_profile_data(data, str(path), text=text, default_id=path.stem)
