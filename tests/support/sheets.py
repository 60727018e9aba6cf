"""Spreadsheets made in the tests (openpyxl), awkward and hostile ones included."""
import io
import zipfile

from openpyxl import Workbook

#: A 12-row run of show (title, duration, speaker, auto-advance, skip, notes), as an organiser types it.
RUNDOWN_12 = [
    ["Title", "Duration", "Speaker", "Auto-advance", "Skip", "Notes"],
    ["Welcome and opening", "5", "", "no", "", "Doors close at 10:25"],
    ["Jobs for Peace and Resilience", 8, "helder da costa", True, False, ""],
    ["a2i Innovation Network", "0:08", "Mr Anir Chowdhury", "yes", "", ""],
    ["Skills Development Network in ASEAN", "00:08:00", "Yutong Liu", "", "", ""],
    ["Two multi-stakeholder alliances", 8, "Santosh Mehrotra", "", "", ""],
    ["Social protection in ASEAN", 8, "Phudit Tejavivaddhana", "", "", ""],
    ["Guest: youth employment", "6", "Amara Okafor", "", "", "New speaker, from the spreadsheet"],
    ["Going ahead round", "12", "", "", "", ""],
    ["Poll: the next alliance", "3", "", "", "", ""],
    ["Audience Q&A", "15", "", "", "", ""],
    ["Spare slot", "5", "", "", "yes", "Only if we run early"],
    ["Closing", "5", "", "", "", ""],
]


def xlsx(rows: list[list], merge: tuple[str, ...] = (), formulas: dict[str, str] | None = None) -> bytes:
    """An XLSX workbook of ``rows`` on its first sheet; ``merge``: ranges to merge ("C2:C3");
    ``formulas``: cell -> formula (saved without a computed value, as any script writes them)."""
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    for ref in merge:
        ws.merge_cells(ref)
    for ref, formula in (formulas or {}).items():
        ws[ref] = formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _rewrite(data: bytes, name: str, body: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, body if item.filename == name else src.read(item.filename))
    return out.getvalue()


def xml_bomb_xlsx() -> bytes:
    """An XLSX whose sheet defines "billion laughs" entities (10^9 "lol"s if expanded)."""
    lol = b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    sheet = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">' + lol + b']>'
             b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             b'<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c>'
             b'<c r="B1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
             b'</sheetData></worksheet>')
    return _rewrite(xlsx([["title", "duration"], ["Opening", 5]]), "xl/worksheets/sheet1.xml", sheet)


def zip_bomb_xlsx() -> bytes:
    """An XLSX with a part that unpacks to 200 MB (a few hundred kB packed)."""
    data = xlsx([["title", "duration"], ["Opening", 5]])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/media/padding.bin", b"\0" * (200 * 1024 * 1024))
    return out.getvalue()
