"""Reading files a person hands ehtool: imports, answers, plans, profiles, filled-in agendas.

Every such file is untrusted, so reading it is bounded before any parser sees it:

* only an ordinary file is opened (a device, a FIFO, a socket or a folder is
  refused at once: ``/dev/zero`` never hangs ehtool or fills its memory);
* its size is capped (:data:`MAX_IMPORT_BYTES` for imports and workbooks,
  :data:`MAX_DOCUMENT_BYTES` for answers, plan and profile files);
* text must be UTF-8 (a byte-order mark is fine), and the message says so when
  it is not (a file saved as Windows-1252 names the byte);
* JSON, TOML and YAML nested past any sane depth, and parsers' own failures,
  become :class:`InvalidInput` naming the file, never an internal error;
* an xlsx workbook's zip directory is checked before openpyxl parses anything:
  its uncompressed size (:data:`MAX_XLSX_UNCOMPRESSED`) and number of parts are
  capped (a zip bomb is refused from its directory; zipfile then enforces the
  sizes the directory declares), rows are read whatever the sheet's stored
  dimension says, a cell longer than Excel's 32,767 characters is an error
  naming its row and column, and XML that declares entities or is malformed is
  refused (defusedxml, which openpyxl uses when it is installed).
"""

from __future__ import annotations

import json
import os
import stat
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ehtool.errors import InvalidInput, NotFound, SystemRefusal

MB = 1024 * 1024
MAX_IMPORT_BYTES = 256 * MB  # a family import file or a workbook as stored on disk
MAX_DOCUMENT_BYTES = 10 * MB  # an answers, plan or profile file
MAX_XLSX_UNCOMPRESSED = 512 * MB  # everything inside a workbook, uncompressed
MAX_XLSX_PARTS = 10_000
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell

ENCODING_HINT = (
    "Save it as UTF-8: in Excel, 'Save As' > 'CSV UTF-8'; in Notepad or another editor, "
    "'Save As' with the encoding 'UTF-8'."
)


def _megabytes(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n:,} bytes"


def open_input(path: str | os.PathLike, *, what: str, max_bytes: int) -> IO[bytes]:
    """Open ``path`` for reading if it is an ordinary file no larger than
    ``max_bytes``. A FIFO or device is refused without blocking (it is opened
    non-blocking and checked with fstat before a byte is read)."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise NotFound(f"No {what} at {path}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{path} is a folder, not a {what}.") from None
    except PermissionError:
        raise SystemRefusal(f"Permission denied: {path} cannot be read.") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InvalidInput(f"{path} is a folder, not a {what}.")
        if not stat.S_ISREG(st.st_mode):
            raise InvalidInput(
                f"{path} is not an ordinary file (it is a device, a pipe or a socket); "
                f"ehtool reads a {what} only from a file.",
                hint="Save the data to a file first and give its path.",
            )
        if st.st_size > max_bytes:
            raise InvalidInput(
                f"{path.name} is {_megabytes(st.st_size)}; ehtool reads a {what} of at most {_megabytes(max_bytes)}.",
                hint="Split it into smaller files.",
            )
        if hasattr(os, "O_NONBLOCK"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | os.PathLike, *, what: str, max_bytes: int) -> bytes:
    with open_input(path, what=what, max_bytes=max_bytes) as fh:
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:  # it grew while being read
        raise InvalidInput(
            f"{Path(path).name} is larger than {_megabytes(max_bytes)}; ehtool reads a {what} of at most that.",
            hint="Split it into smaller files.",
        )
    return data


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text (a byte-order mark is dropped), or a message naming the byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InvalidInput(
            f"{name} is not UTF-8 text: byte {exc.start + 1} (line {line}) is 0x{data[exc.start]:02x}, "
            "which UTF-8 does not use there. ehtool reads UTF-8 files (a Windows-1252 or "
            "Latin-1 file looks like this).",
            hint=ENCODING_HINT,
        ) from None


def read_text(path: str | os.PathLike, *, what: str, max_bytes: int = MAX_DOCUMENT_BYTES) -> str:
    return decode_text(read_bytes(path, what=what, max_bytes=max_bytes), Path(path).name)


def parse_structured(text: str, fmt: str, name: str) -> Any:
    """Parse JSON, TOML or YAML text; every failure is an :class:`InvalidInput` naming the file."""
    label = {"json": "JSON", "toml": "TOML", "yaml": "YAML"}[fmt]
    try:
        if fmt == "toml":
            return tomllib.loads(text)
        if fmt == "yaml":
            import yaml

            return yaml.safe_load(text)
        return json.loads(text)
    except RecursionError:
        raise InvalidInput(f"{name} is nested too deeply to be a {label} file ehtool reads.") from None
    except Exception as exc:  # each parser has its own error types
        detail = " ".join(str(exc).split())
        raise InvalidInput(f"{name} is not valid {label}: {detail[:300]}") from None


def structured_format(path: Path, default: str = "json") -> str:
    suffix = path.suffix.lower()
    if suffix == ".toml":
        return "toml"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    return default


# -- xlsx workbooks -------------------------------------------------------------------


def _check_zip(fh: IO[bytes], name: str) -> None:
    try:
        with zipfile.ZipFile(fh) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise InvalidInput(
            f"{name} is not an xlsx workbook (it is not a zip file).",
            hint="Save it from Excel as 'Excel Workbook (*.xlsx)' and try again.",
        ) from None
    if len(infos) > MAX_XLSX_PARTS:
        raise InvalidInput(
            f"{name} has {len(infos):,} parts inside; an xlsx workbook ehtool reads has at most {MAX_XLSX_PARTS:,}."
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise InvalidInput(
            f"{name} would unpack to {_megabytes(total)}; ehtool reads workbooks of at most "
            f"{_megabytes(MAX_XLSX_UNCOMPRESSED)} unpacked (a file that unpacks far larger than "
            "it is may be a 'zip bomb').",
            hint="Split the data into smaller workbooks.",
        )
    fh.seek(0)


def xml_error(exc: BaseException | None) -> str | None:
    """What an XML parser's exception means (also when a reader wrapped it in
    another exception), or None if it is not one."""
    seen = 0
    while exc is not None and seen < 10:
        module = type(exc).__module__ or ""
        kind = type(exc).__name__
        if module.startswith("defusedxml") or kind in (
            "EntitiesForbidden",
            "DTDForbidden",
            "ExternalReferenceForbidden",
        ):
            return "it declares XML entities or a DTD, which ehtool does not read"
        if module.startswith(("xml.", "lxml", "pyexpat")) or kind in ("ParseError", "XMLSyntaxError", "ExpatError"):
            return "its XML is malformed"
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def open_workbook(path: str | os.PathLike, *, what: str = "workbook", data_only: bool = False):
    """Open an xlsx for reading after the size and zip checks. Returns
    (file object, read-only workbook); close both (workbook first). With
    ``data_only`` a formula cell gives the value Excel last saved for it,
    else the formula's text as typed."""
    path = Path(path)
    fh = open_input(path, what=what, max_bytes=MAX_IMPORT_BYTES)
    try:
        _check_zip(fh, path.name)
        from openpyxl import load_workbook

        try:
            return fh, load_workbook(fh, read_only=True, data_only=data_only)
        except Exception as exc:  # a zip that is not a workbook, damaged XML, entities
            why = xml_error(exc) or "it could not be opened as one"
            raise InvalidInput(
                f"{path.name} is not an xlsx workbook ehtool can read: {why}.",
                hint="Save it from Excel as 'Excel Workbook (*.xlsx)' and try again.",
            ) from None
    except BaseException:
        fh.close()
        raise


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def sheet_rows(ws, name: str, *, min_row: int = 1, max_row: int | None = None) -> Iterator[tuple[int, tuple]]:
    """(row number, values) for every row of a read-only sheet, whatever its
    stored dimension says (a formula cell: see :func:`open_workbook`).
    A cell over Excel's 32,767 characters, or XML that cannot be read, is an
    :class:`InvalidInput` naming the row (and column)."""
    ws.reset_dimensions()  # the stored <dimension> may be wrong: read every row there is
    row_no = min_row - 1
    try:
        for row_no, values in enumerate(ws.iter_rows(min_row=min_row, max_row=max_row, values_only=True), min_row):
            for col, value in enumerate(values):
                if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                    raise InvalidInput(
                        f"{name}: row {row_no}, column {column_letter(col)} holds {len(value):,} "
                        f"characters; a cell holds at most {MAX_CELL_CHARS:,}.",
                        hint="Shorten it: ehtool never cuts text short on its own.",
                    )
            yield row_no, values
    except InvalidInput:
        raise
    except Exception as exc:
        why = xml_error(exc)
        if why is None:
            raise
        raise InvalidInput(
            f"{name}: the sheet could not be read after row {row_no}: {why}.",
            hint="Save it again from Excel as 'Excel Workbook (*.xlsx)'.",
        ) from None
