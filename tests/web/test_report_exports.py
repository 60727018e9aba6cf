"""The report page and the event's exports over HTTP: behind the moderator session, for the
server's event only; CSV, XLSX and JSON give back every text exactly as typed."""
import csv
import io
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from forum_live.domain.export import unneutralise
from forum_live.eventfile import load_event_file
from forum_live.extensions import db_session
from forum_live.persistence.models import Takeaway
from forum_live.services import polls, questions
from forum_live.services.event_exports import TABLES
from forum_live.services.events import get_event, load_event
from support.server import TOKEN as MODERATOR_TOKEN

HOSTILE = [h["stored_as"] for h in json.loads((Path(__file__).parents[1] / "data" / "hostile_texts.json")
                                              .read_text(encoding="utf-8")) if h["expect"] == "stored"]
#: Texts a spreadsheet or a CSV reader could take for something else, and ligatures.
AWKWARD = ["=SUM(A1:A9) is it?", "+33 1 23 45 67?", "-minus first?", "@everyone listen", "'quoted' start",
           "''two apostrophes", "#N/A", "#REF!", 'a,b;c "d" \'e\'', "ﬁnance and ﬂows (ligatures)", "Line one\nline two",
           "<b>bold</b> & \"quotes\" </textarea>", "\uff1d1+1 full-width?", "Ǳ ǆ ﬀ ﬃ ﬆ"]
TEXTS = AWKWARD + HOSTILE
WORDS = ["=1+1", "#N/A", "'tis", "ﬁne", "-", "Solidarity"]


@pytest.fixture
def held(app, connect):
    """Every awkward text asked (with awkward names) and approved from a console (audited), two
    answered; word-cloud answers that look like formulas; a takeaway per awkward text. The
    audience's part is stored through the services (one device each), the moderator's through
    the console's socket. Returns the stored texts."""
    names = ["=cmd|' /C calc'!A0", "'Ana'", None, "Nguyễn, Thị"]
    now = datetime.now(UTC)
    with app.app_context(), db_session() as s:
        event = get_event(s, "ILO22")
        ids = [questions.submit_question(s, event, f"phone-{n:03d}", f"client-{n:05d}", body, names[n % 4], None,
                                         now)[0].id for n, body in enumerate(TEXTS)]
        s.commit()
    mod = connect("moderator")
    for qid in ids:
        assert mod.call("question:moderate", {"question_id": qid, "action": "approve"})["ok"]
    for qid in ids[:2]:
        assert mod.call("question:moderate", {"question_id": qid, "action": "answer"})["ok"]
    word = next(p for p in mod.last("state")["polls"] if p["kind"] == "wordcloud")
    assert mod.call("poll:open", {"poll_id": word["id"]})["ok"]
    with app.app_context(), db_session() as s:
        event = get_event(s, "ILO22")
        for n, w in enumerate(WORDS):
            polls.cast_ballot(s, event, f"phone-{n:03d}", word["id"], w, datetime.now(UTC))
        for n, body in enumerate(AWKWARD):
            s.add(Takeaway(event_id=event.id, text=body, for_summary=True, author="Rapporteur",
                           created_at=datetime(2022, 9, 13, 4, n, tzinfo=UTC)))
        s.commit()
    return {"questions": TEXTS, "words": WORDS, "takeaways": AWKWARD}


def _signed_in(client):
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    return client


def _csv(client, name):
    response = client.get(f"/moderate/report/{name}.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv", name
    text = response.data.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:], newline="")))
    return rows[0], [[unneutralise(c) for c in row] for row in rows[1:]]


def _column(header, rows, name):
    i = header.index(name)
    return [row[i] for row in rows]


def test_csv_tables_give_back_every_text_as_typed(client, held):
    _signed_in(client)
    header, rows = _csv(client, "questions")
    assert _column(header, rows, "question") == held["questions"]
    assert set(_column(header, rows, "asker's name")) == {"=cmd|' /C calc'!A0", "'Ana'", "", "Nguyễn, Thị"}
    header, rows = _csv(client, "takeaways")
    assert _column(header, rows, "takeaway") == held["takeaways"]
    header, rows = _csv(client, "ballots")
    assert [r[3] for r in rows if r[0] == "One word for a resilient world of work"] == held["words"]
    raw = client.get("/moderate/report/questions.csv").data.decode("utf-8")
    assert "\r\n'=SUM(A1:A9) is it?" not in raw  # the cell is quoted text, not a formula at a line start
    assert re.search(r",'=SUM\(A1:A9\) is it\?,", raw) and ",'-minus first?," in raw and ",'''two apostrophes," in raw


def test_the_workbook_gives_back_every_text_as_typed_and_never_a_formula(client, held):
    _signed_in(client)
    response = client.get("/moderate/report.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == list(TABLES.values())
    sheet = book["Questions"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index("question")] for row in sheet.iter_rows(min_row=2)]
    assert [c.value for c in cells] == held["questions"]
    assert {c.data_type for c in cells} == {"s"}  # "=SUM(...)" is text; "#N/A" is text, not an error
    takeaways = book["Takeaways"]
    assert [r[1].value for r in takeaways.iter_rows(min_row=2)] == held["takeaways"]
    ballots = [r[3].value for r in book["Ballots"].iter_rows(min_row=2) if r[0].value.startswith("One word")]
    assert ballots == held["words"]
    for name in book.sheetnames:  # no formula anywhere in the workbook
        assert all(c.data_type != "f" for row in book[name].iter_rows() for c in row), name
    assert [c.value for c in book["Questions"][1]][:2] == ["id", "question"]


def test_every_table_is_in_the_workbook_and_as_csv_with_the_same_cells(client, held):
    _signed_in(client)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/moderate/report.xlsx").data))
    for name, title in TABLES.items():
        header, rows = _csv(client, name)
        sheet = [["" if c is None else str(c) for c in row] for row in book[title].iter_rows(values_only=True)]
        assert sheet[0] == header, name
        assert sheet[1:] == rows, name


def test_the_activity_sheet_is_the_whole_audit_trail(app, client, held):
    _signed_in(client)
    header, rows = _csv(client, "activity")
    with app.app_context(), db_session() as s:
        from sqlalchemy import text
        stored = s.execute(text("SELECT seq, summary FROM moderator_action ORDER BY seq")).all()
    assert len(stored) > 50  # more than the console's last 50
    assert [(int(r[0]), r[5]) for r in rows] == [tuple(x) for x in stored]


def test_the_json_archive_holds_the_texts_and_no_device_id(app, client, held):
    _signed_in(client)
    response = client.get("/moderate/report.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    archive = json.loads(response.data.decode("utf-8"))
    assert [q["text"] for q in archive["questions"]] == held["questions"]
    assert [t["text"] for t in archive["takeaways"]] == held["takeaways"]
    word = next(p for p in archive["polls"] if p["kind"] == "wordcloud")
    assert [b["value"] for b in word["ballots"]] == held["words"]
    assert all(b["device"].startswith("device-") for p in archive["polls"] for b in p["ballots"])
    with app.app_context(), db_session() as s:
        from sqlalchemy import text
        devices = {d for (d,) in s.execute(text("SELECT device_id FROM question UNION SELECT device_id FROM ballot"))}
    body = response.data.decode("utf-8")
    assert devices and not any(d in body for d in devices)


def test_the_report_page_shows_hostile_text_as_text(client, held):
    _signed_in(client)
    response = client.get("/moderate/report")
    assert response.status_code == 200
    page = response.data.decode("utf-8")
    assert "<script>alert" not in page and "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;" in page
    assert "<b>bold</b>" not in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "Draft" in page  # the show has not run
    assert re.search(rf"<dt>Submitted</dt><dd class=\"num\">{len(TEXTS)}</dd>", page)
    csp = response.headers["Content-Security-Policy"]
    nonce = re.search(r"<style nonce=\"([^\"]+)\">", page).group(1)
    assert f"'nonce-{nonce}'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("path", ["/moderate/report", "/moderate/report.xlsx", "/moderate/report/questions.csv",
                                  "/moderate/report.json"])
def test_reports_and_exports_are_refused_without_the_moderator_session(client, path):
    response = client.get(path)
    assert response.status_code == 403
    assert b"Building Multi-Stakeholder" not in response.data


@pytest.mark.parametrize("path", ["/moderate/report", "/moderate/report.xlsx", "/moderate/report/questions.csv",
                                  "/moderate/report.json"])
def test_reports_and_exports_of_another_events_code_are_refused(app, client, path):
    spec = load_event_file()
    other = spec.model_copy(update={"event": spec.event.model_copy(update={"code": "OTHER1",
                                                                          "title": "Another panel, not yours"})})
    with app.app_context(), db_session() as s:
        load_event(s, other)
        s.commit()
    _signed_in(client)
    for code in ("OTHER1", "other1", "NOPE"):
        response = client.get(f"{path}?event={code}")
        assert response.status_code == 403, (path, code)
        assert b"Another panel" not in response.data
    assert client.get(f"{path}?event=ILO22").status_code == 200


def test_an_unknown_csv_table_is_404(client):
    _signed_in(client)
    assert client.get("/moderate/report/passwords.csv").status_code == 404


@pytest.mark.parametrize("title", ['A "quoted" title', "Ends a string\\", "</style><script>alert(1)</script>",
                                   "Line\nbreak", "Café · 南南合作"])
def test_the_print_header_escapes_the_title_for_css(title):
    from forum_live.web.report import css_string
    escaped = css_string(title)
    assert re.fullmatch(r"[A-Za-z0-9 \\]*", escaped)
    # A CSS reader gives the title back: each escape is 6 hex digits and the one space that ends it.
    assert re.sub(r"\\([0-9a-f]{6}) ", lambda m: chr(int(m.group(1), 16)), escaped) == title


def test_the_report_s_inline_sentences_speak_the_console_s_language(client, connect):
    """The timing lead and table, the follow-up heading, the takeaways' groups and the footer in
    French and Spanish (the event's content stays as typed)."""
    mod = connect("moderator")
    for name, payload in (("timer:start", {}), ("timer:adjust", {"delta_ms": 60_000}),
                          ("takeaway:add", {"client_id": "tk-report-fr", "text": "Alliances start small."}),
                          ("timer:next", {})):
        assert mod.call(name, payload)["ok"], name
    _signed_in(client)
    french = client.get("/moderate/report?lang=fr").get_data(as_text=True)
    for said in ("Restées sans réponse, pour le suivi (0)", "Produit par forum-live le", "pas jouée",
                 "Aucune question clé", "à la part équitable", "avant la fin réservée", "fin du créneau réservé",
                 "Résumé pour le public : non publié", "Journal d'activité", "Alliances start small."):
        assert said in french, said
    for english in ("Left unanswered", "Generated by", "not run", "No key question", "on time", "no panelist",
                    "Audience summary", "end of the booked slot", "Activity log"):
        assert english not in french, english
    spanish = client.get("/moderate/report?lang=es").get_data(as_text=True)
    assert "Generado por forum-live el" in spanish and "Sin respuesta, para el seguimiento (0)" in spanish
    english = client.get("/moderate/report?lang=en").get_data(as_text=True)
    assert "Left unanswered, for follow-up (0)" in english and "Generated by forum-live on" in english
