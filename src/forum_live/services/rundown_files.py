"""Reading an uploaded spreadsheet into a grid of cells for domain.rundown: XLSX or CSV.

Hostile files are refused before they cost much: at most MAX_UPLOAD_BYTES; an XLSX (a zip) whose
parts would unpack to more than MAX_UNPACKED_BYTES or more than MAX_PARTS parts is refused
before openpyxl opens it (a zip bomb); openpyxl parses its XML with defusedxml (a dependency),
so entity expansion (an XML bomb) raises instead of filling memory. Old ``.xls``, ``.ods`` and
other files are refused by their first bytes. Formulas: the value the spreadsheet computed and
saved is used; a formula saved without one (e.g. written by a script) is an error on its row.
"""
import csv
import io
import re
import zipfile
from datetime import datetime

from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from ..domain.errors import ForumError
from ..domain.rundown import Unreadable

#: The largest upload read (bytes); a run of show of 500 rows is well under 100 kB.
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
#: The most an XLSX may unpack to, and the most parts it may have.
MAX_UNPACKED_BYTES = 20 * 1024 * 1024
MAX_PARTS = 200
#: Rows read from a sheet or CSV at most (empty ones included); the domain allows 500 segments.
MAX_GRID_ROWS = 2000
MAX_GRID_COLUMNS = 60

_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+:[A-Z]+\d+)"')


def _refuse(message: str) -> ForumError:
    return ForumError("invalid_payload", message)


def read_grid(data: bytes, filename: str = "") -> tuple[list[list], frozenset[int]]:
    """The cells of an uploaded spreadsheet: ``(rows of cell values, vertically merged row indexes)``.

    ``data``: the file's bytes; ``filename`` only helps the error message. XLSX by its zip
    signature (the first sheet is read), otherwise CSV in UTF-8 (with or without BOM), its
    delimiter sniffed among ``,`` ``;`` and tab. Raises ForumError(invalid_payload) with the
    reason for a file too big, empty, not XLSX or CSV, a zip bomb, an XML bomb, or broken XML.
    """
    if len(data) > MAX_UPLOAD_BYTES:
        raise _refuse(f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; a run of show is far smaller.")
    if not data.strip():
        raise _refuse("The file is empty.")
    if data.startswith(b"PK\x03\x04"):
        return _xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise _refuse("This is an old Excel file (.xls): save it as .xlsx (Excel Workbook) or CSV first.")
    if b"\x00" in data[:4096]:
        raise _refuse(f"{filename or 'The file'} is neither an XLSX workbook nor a CSV text file.")
    return _csv(data), frozenset()


def _xlsx(data: bytes) -> tuple[list[list], frozenset[int]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _refuse(f"The file is not a readable XLSX workbook ({exc}).") from None
    if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
        raise _refuse("The workbook unpacks to far more than a run of show needs; it is refused.")
    if "xl/workbook.xml" not in archive.namelist():
        raise _refuse("The file is a zip archive but not an XLSX workbook (an .ods or .docx?): save it as .xlsx.")
    try:
        values = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        sheet, formula_sheet = values.worksheets[0], formulas.worksheets[0]
        grid = _rows(sheet.iter_rows(values_only=True))
        formula_rows = _rows(formula_sheet.iter_rows(values_only=True))
        merged = _merged_rows(archive, sheet._worksheet_path)  # read-only sheets keep no merge list
        values.close()
        formulas.close()
    except ForumError:
        raise
    except Exception as exc:  # defusedxml's EntitiesForbidden, a broken XML part, a bad zip member
        if any(type(c).__name__ in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden")
               for c in _chain(exc)):
            raise _refuse("The workbook defines XML entities (an \"XML bomb\"?); it is refused. "
                          "Save it again as .xlsx from a spreadsheet app.") from None
        raise _refuse("The workbook's XML cannot be read: save it again as .xlsx from a spreadsheet app.") from None
    for r, (row, frow) in enumerate(zip(grid, formula_rows)):
        for c, (value, formula) in enumerate(zip(row, frow)):
            if value is None and isinstance(formula, str) and formula.startswith("="):
                grid[r][c] = Unreadable(f"the formula {formula[:30]} has no saved value "
                                        "(type the value, or open and save the file in a spreadsheet app)")
    return grid, merged


def _chain(exc: BaseException):
    seen = 0
    while exc is not None and seen < 10:
        yield exc
        exc, seen = exc.__cause__ or exc.__context__, seen + 1


def _rows(rows) -> list[list]:
    out = []
    for index, row in enumerate(rows):
        if index >= MAX_GRID_ROWS:
            raise _refuse(f"The sheet has more than {MAX_GRID_ROWS} rows; a run of show has at most 500.")
        out.append([_plain(v) for v in row[:MAX_GRID_COLUMNS]])
    return out


def _plain(value):
    # openpyxl gives naive datetimes for date cells; they are wall-clock cells, kept naive here.
    return value.replace(tzinfo=None) if isinstance(value, datetime) else value


def _merged_rows(archive: zipfile.ZipFile, path: str) -> frozenset[int]:
    """Row indexes (0-based) below the first row of every vertically merged range."""
    covered = set()
    with archive.open(path.lstrip("/")) as part:
        body = part.read(MAX_UNPACKED_BYTES)
    for ref in _MERGE.findall(body):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        covered.update(range(min_row, max_row))  # 1-based rows below the first = 0-based indexes
    return frozenset(covered)


def _csv(data: bytes) -> list[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("The CSV file is not UTF-8: save it as \"CSV UTF-8\" (Excel) or UTF-8 text.") from None
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for index, row in enumerate(csv.reader(io.StringIO(text), dialect)):
        if index >= MAX_GRID_ROWS:
            raise _refuse(f"The file has more than {MAX_GRID_ROWS} rows; a run of show has at most 500.")
        rows.append(row[:MAX_GRID_COLUMNS])
    return rows
