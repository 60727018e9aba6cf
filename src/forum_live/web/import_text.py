"""The import dialog's messages (a run of show from a spreadsheet) in the console's language.

The rules write them in English (domain.rundown: the rows' and the file's errors and notices;
services.rundown: the event file's limits; services.rundown_files: a file that cannot be read);
the preview (web/rundown.py) puts them in the page's language here, by matching each to a
gettext message with its values, as phone_text.py does for the phones. The column names
(``title``, ``duration``, ``speaker``...) stay English in every language: they are what the
importer reads. A message not listed stays as written.
"""
import re

from flask_babel import gettext

from ..i18n import N_, MessageTable

#: What a cell's value could not be (the part after ``column: `` of a row's error).
_REASONS = MessageTable([
    (r"no length", N_("no length")),
    (r"no time", N_("no time")),
    (r"(?P<value>\d{4}-\d\d-\d\d) is a date, not a length", N_("%(value)s is a date, not a length")),
    (r"(?P<value>\d{4}-\d\d-\d\d) is a date without a time of day", N_("%(value)s is a date without a time of day")),
    (r"cannot read (?P<value>.+) as a length \(write 10, 1:30 or 00:01:30\)",
     N_("cannot read %(value)s as a length (write 10, 1:30 or 00:01:30)")),
    (r"cannot read (?P<value>.+) as a time of day \(write 10:30\)",
     N_("cannot read %(value)s as a time of day (write 10:30)")),
    (r"(?P<value>.+) is not a time of day \(write 10:30\)", N_("%(value)s is not a time of day (write 10:30)")),
    (r"(?P<value>.+) is not a time of day", N_("%(value)s is not a time of day")),
    (r"(?P<value>.+) is not a length", N_("%(value)s is not a length")),
    (r"(?P<value>.+) is negative", N_("%(value)s is negative")),
    (r"cannot read (?P<value>.+) as yes or no", N_("cannot read %(value)s as yes or no")),
    (r"the formula (?P<formula>.+) has no saved value \(type the value, or open and save the file in a spreadsheet "
     r"app\)", N_("the formula %(formula)s has no saved value (type the value, or open and save the file in a "
                  "spreadsheet app)")),
    # The event file's limits (services.rundown.check_rows: pydantic's words).
    (r"Input should be less than or equal to (?P<n>[\d.]+)", N_("must be at most %(n)s")),
    (r"Input should be greater than (?P<n>[\d.]+)", N_("must be more than %(n)s")),
    (r"String should have at most (?P<n>\d+) characters?", N_("at most %(n)s characters")),
    (r"String should have at least (?P<n>\d+) characters?", N_("at least %(n)s characters")),
    (r"String should match pattern .*", N_("not in the expected form")),
    (r"Input should be (?P<choices>'.+)", N_("must be one of %(choices)s")),
])

#: Whole messages: a row's errors without a column, the file's errors and notices, the refusals.
_MESSAGES = MessageTable([
    (r"merged cells: unmerge them and fill in each row", N_("merged cells: unmerge them and fill in each row")),
    (r"no title", N_("no title")),
    (r"end is the same as start", N_("end is the same as start")),
    (r"no length: give a duration, an end, or the next row's start",
     N_("no length: give a duration, an end, or the next row's start")),
    (r"key question (?P<value>.+) is not one of this event's \(1 to (?P<n>\d+), or its key\)",
     N_("key question %(value)s is not one of this event's (1 to %(n)s, or its key)")),
    (r"The header has more than (?P<n>\d+) columns\.", N_("The header has more than %(n)s columns.")),
    (r"Column (?P<name>.+) is not one forum-live reads; it is ignored\.",
     N_("Column %(name)s is not one forum-live reads; it is ignored.")),
    (r"Two columns mean (?P<field>[a-z ]+): (?P<first>.+) and (?P<second>.+)\.",
     N_("Two columns mean %(field)s: %(first)s and %(second)s.")),
    (r"No title column: the first row must name the columns \(title, duration, speaker, \.\.\.\)\.",
     N_("No title column: the first row must name the columns (title, duration, speaker, ...).")),
    (r"No duration, end or start column: each segment needs a length\.",
     N_("No duration, end or start column: each segment needs a length.")),
    (r"The file is empty\.", N_("The file is empty.")),
    (r"More than (?P<n>\d+) rows: a run of show this long is not a panel session\.",
     N_("More than %(n)s rows: a run of show this long is not a panel session.")),
    (r"No rows under the header\.", N_("No rows under the header.")),
    (r"The file is larger than (?P<n>\d+) MB; a run of show is far smaller\.",
     N_("The file is larger than %(n)s MB; a run of show is far smaller.")),
    (r"This is an old Excel file \(\.xls\): save it as \.xlsx \(Excel Workbook\) or CSV first\.",
     N_("This is an old Excel file (.xls): save it as .xlsx (Excel Workbook) or CSV first.")),
    (r"The file is neither an XLSX workbook nor a CSV text file\.",
     N_("The file is neither an XLSX workbook nor a CSV text file.")),
    (r"(?P<file>.+) is neither an XLSX workbook nor a CSV text file\.",
     N_("%(file)s is neither an XLSX workbook nor a CSV text file.")),
    (r"The file is not a readable XLSX workbook \((?P<reason>.*)\)\.",
     N_("The file is not a readable XLSX workbook (%(reason)s).")),
    (r"The workbook unpacks to far more than a run of show needs; it is refused\.",
     N_("The workbook unpacks to far more than a run of show needs; it is refused.")),
    (r"The file is a zip archive but not an XLSX workbook \(an \.ods or \.docx\?\): save it as \.xlsx\.",
     N_("The file is a zip archive but not an XLSX workbook (an .ods or .docx?): save it as .xlsx.")),
    (r"The workbook defines XML entities \(an \"XML bomb\"\?\); it is refused\. Save it again as \.xlsx from a "
     r"spreadsheet app\.", N_("The workbook defines XML entities (an \"XML bomb\"?); it is refused. Save it again as "
                              ".xlsx from a spreadsheet app.")),
    (r"The workbook's XML cannot be read: save it again as \.xlsx from a spreadsheet app\.",
     N_("The workbook's XML cannot be read: save it again as .xlsx from a spreadsheet app.")),
    (r"The sheet has more than (?P<n>\d+) rows; a run of show has at most 500\.",
     N_("The sheet has more than %(n)s rows; a run of show has at most 500.")),
    (r"The file has more than (?P<n>\d+) rows; a run of show has at most 500\.",
     N_("The file has more than %(n)s rows; a run of show has at most 500.")),
    (r"The CSV file is not UTF-8: save it as \"CSV UTF-8\" \(Excel\) or UTF-8 text\.",
     N_("The CSV file is not UTF-8: save it as \"CSV UTF-8\" (Excel) or UTF-8 text.")),
])
_COLUMN = re.compile(r"(?P<column>[a-z][a-z.-]*): (?P<reason>.+)", re.S)
_NEW_PANELIST = re.compile(r"new panelist (?P<name>'.*?'|\".*?\"): (?P<column>[a-z][a-z.-]*): (?P<reason>.+)", re.S)


def _match(table: MessageTable, message: str) -> str | None:
    found = table.match(message)
    return None if found is None else gettext(found[0], **found[1])


def import_message(message: str) -> str:
    """``message`` (an English error, notice or refusal of the import) in the page's language;
    as it is when it is not one listed here."""
    if not isinstance(message, str):
        return message
    whole = _match(_MESSAGES, message)
    if whole is not None:
        return whole
    found = _NEW_PANELIST.fullmatch(message)
    if found:
        return gettext("new panelist %(name)s: %(column)s: %(reason)s", name=found["name"], column=found["column"],
                       reason=_match(_REASONS, found["reason"]) or found["reason"])
    found = _COLUMN.fullmatch(message)
    if found:
        reason = _match(_REASONS, found["reason"])
        if reason is not None:
            return gettext("%(column)s: %(reason)s", column=found["column"], reason=reason)
    return message


def translated_view(view: dict) -> dict:
    """The import preview ``view`` (services.rundown.rundown_view) with its file's errors and
    notices and every row's errors in the page's language."""
    return {**view, "errors": [import_message(m) for m in view["errors"]],
            "notices": [import_message(m) for m in view["notices"]],
            "rows": [{**row, "errors": [import_message(m) for m in row["errors"]]} for row in view["rows"]]}
