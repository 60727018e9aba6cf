"""The console's run-of-show import over HTTP and Socket.IO: the preview (moderator session and
CSRF token, size limit, nothing stored), Apply as ``run:import`` (every screen updates, refused
once the show has started), and the exports."""
import io
import re

import openpyxl
import pytest
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import stream_encode_multipart

from forum_live.eventfile import parse_event
from support.server import TOKEN as MODERATOR_TOKEN
from support.sheets import RUNDOWN_12, xlsx, xml_bomb_xlsx


def _signed_in(client) -> str:
    """Sign ``client`` in as the moderator; return the console page's CSRF token."""
    client.get(f"/moderate?token={MODERATOR_TOKEN}")
    page = client.get("/moderate").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def _upload(client, data: bytes, token: str | None, name="rundown.xlsx", headers=None):
    headers = dict(headers or {})
    if token is not None:
        headers["X-CSRF-Token"] = token
    # The body is made here (werkzeug's builder would spool a large one to a temporary file that
    # nothing closes).
    body, length, boundary = stream_encode_multipart(
        MultiDict([("file", FileStorage(io.BytesIO(data), filename=name))]), use_tempfile=False)
    return client.post("/moderate/run-of-show/preview", data=body.read(), headers=headers,
                       content_type=f"multipart/form-data; boundary={boundary}")


def _titles(connect):
    return [s["title"] for s in connect("moderator").last("state")["run"]["segments"]]


def test_the_preview_answers_every_row_and_stores_nothing(client, connect):
    token = _signed_in(client)
    before = _titles(connect)
    response = _upload(client, xlsx(RUNDOWN_12), token)
    assert response.status_code == 200, response.get_data(as_text=True)
    view = response.get_json()
    assert view["ok"] is True and view["started"] is False and len(view["rows"]) == 12
    assert view["panelists"] == [{"key": "amara-okafor", "name": "Amara Okafor"}]
    assert view["speaker_names"]["da-costa"] == "Mr Helder da Costa"
    assert _titles(connect) == before


def test_a_row_error_is_in_the_preview_and_the_file_errors_are_a_400(client):
    token = _signed_in(client)
    view = _upload(client, b"title,duration\nOpening,60\nTalk,sixty\n", token, "r.csv").get_json()
    assert view["ok"] is False and view["rows"][0]["errors"] == [] and view["rows"][0]["length_ms"] == 3_600_000
    assert "cannot read 'sixty'" in view["rows"][1]["errors"][0]
    for data, reason in ((b"%PDF-1.4\0\0\0", "neither an XLSX"), (xml_bomb_xlsx(), "XML entities")):
        response = _upload(client, data, token)
        assert response.status_code == 400 and reason in response.get_json()["message"]



def test_the_preview_speaks_the_console_s_language(client):
    """A French console's preview: row errors, the file's notices and refusals in French; the
    column names (what the importer reads) and the file's own values as they are."""
    token = _signed_in(client)
    client.get("/moderate?lang=fr")  # the console's switcher: remembered for the preview too
    view = _upload(client, b"title,duration,colour,skip\nOpening,60,red,\nTalk,sixty,,\n,5,,\nEnd,5,,maybe\n", token,
                   "r.csv").get_json()
    assert view["notices"] == ["La colonne 'colour' n'est pas lue par forum-live ; elle est ignorée."]
    errors = [row["errors"] for row in view["rows"]]
    assert errors[0] == []
    assert errors[1] == ["duration : impossible de lire 'sixty' comme une durée (écrivez 10, 1:30 ou 00:01:30)"]
    assert errors[2] == ["aucun titre"]
    assert errors[3] == ["skip : impossible de lire 'maybe' comme oui ou non"]
    response = _upload(client, b"\xd0\xcf\x11\xe0 old excel", token, "r.xls")
    assert response.status_code == 400
    assert response.get_json()["message"].startswith("C'est un ancien fichier Excel (.xls)")
    client.get("/moderate?lang=es")
    view = _upload(client, b"title,duration\nTalk,sixty\n", token, "r.csv").get_json()
    assert view["rows"][0]["errors"] == ["duration: no se puede leer 'sixty' como duración (escriba 10, 1:30 o 00:01:30)"]
    client.get("/moderate?lang=en")
    view = _upload(client, b"title,duration\nTalk,sixty\n", token, "r.csv").get_json()
    assert view["rows"][0]["errors"] == ["duration: cannot read 'sixty' as a length (write 10, 1:30 or 00:01:30)"]


def test_every_import_message_of_the_rules_is_matched():
    """Each English message the import's rules write is one import_text knows (a new one needs a
    row there, or it would show in English on a French console)."""
    from datetime import date

    from forum_live.domain.rundown import CellError, parse_rundown, read_flag, read_length_ms, read_time_of_day_ms
    from forum_live.web.import_text import _MESSAGES, _REASONS

    reasons = []
    for read, value in ((read_length_ms, ""), (read_length_ms, True), (read_length_ms, date(2022, 9, 13)),
                        (read_length_ms, -5), (read_length_ms, "sixty"), (read_time_of_day_ms, ""),
                        (read_time_of_day_ms, date(2022, 9, 13)), (read_time_of_day_ms, 5), (read_time_of_day_ms, "25:00"),
                        (read_time_of_day_ms, "13:00 pm"), (read_time_of_day_ms, "soon"),
                        (read_time_of_day_ms, "2022-09-13"), (read_flag, "maybe")):
        with pytest.raises(CellError) as caught:
            read(value)
        reasons.append(str(caught.value))
    assert [r for r in reasons if not any(p.fullmatch(r) for p, _ in _REASONS)] == []
    grids = [[["title", "duration", "title"]], [["notes"]], [["title", "duration"]],
             [["title", "start", "x"], ["", "10:00", ""], ["A", "10:00", ""], ["B", "10:00", ""],
              ["C", "", ""]], [["title", "duration", "key question"], ["A", "5", "9"]]]
    said = []
    for grid in grids:
        rundown = parse_rundown(grid, [], [("kq1", "One?")], merged_rows=frozenset({3}))
        said += rundown.errors + rundown.notices + [e for row in rundown.rows for e in row.errors
                                                    if ":" not in e or e.startswith("no length")]
    assert len(said) >= 8
    assert [m for m in said if not any(p.fullmatch(m) for p, _ in _MESSAGES)] == []


@pytest.mark.parametrize("how", ["no token", "wrong token", "other origin", "not signed in"])
def test_the_upload_needs_the_session_and_its_csrf_token(app, client, how):
    token = _signed_in(client) if how != "not signed in" else None
    sent = {"no token": None, "wrong token": "forged", "other origin": token, "not signed in": "forged"}[how]
    headers = {"Origin": "http://evil.example"} if how == "other origin" else {}
    response = _upload(client, xlsx(RUNDOWN_12), sent, headers=headers)
    assert response.status_code == 403 and response.get_json()["ok"] is False


def test_a_50_mb_upload_is_refused_and_the_server_keeps_serving(client):
    token = _signed_in(client)
    response = _upload(client, b"x" * (50 * 1024 * 1024), token, "big.csv")
    assert response.status_code == 413 and "larger than 2 MB" in response.get_json()["message"]
    assert _upload(client, b"title,duration\nOpening,5\n", token, "ok.csv").get_json()["ok"] is True


def _rows(view):
    keep = ("title", "kind", "length_ms", "panelist", "key_question", "notes", "skip", "auto_advance")
    return [{k: r[k] for k in keep} for r in view["rows"]]


def test_apply_replaces_the_run_of_show_on_every_screen_and_is_audited(client, connect):
    token = _signed_in(client)
    view = _upload(client, xlsx(RUNDOWN_12), token).get_json()
    mod, other, screen, phone = connect("moderator"), connect("moderator"), connect("screen"), connect("audience")
    version = mod.last("state")["audit"]["version"]
    ack = mod.call("run:import", {"rows": _rows(view), "panelists": view["panelists"], "version": version})
    assert ack["ok"] is True and ack["segments"] == 12 and ack["version"] == version + 1
    for actor in (screen, phone, mod):
        event = actor.last("event")
        run = actor.last("run")
        assert [s["title"] for s in run["segments"]] == [r[0] for r in RUNDOWN_12[1:]]
        amara = next(p for p in event["panelists"] if p["name"] == "Amara Okafor")
        assert run["segments"][6]["panelist_id"] == amara["id"]
    entry = mod.last("audit")["entries"][0]
    assert entry["name"] == "run:import"
    assert entry["summary"] == "Imported the run of show: 12 segments (new panelists: Amara Okafor)"
    # A colleague's console that has not seen the import is refused like any stale command.
    assert other.call("run:import", {"rows": _rows(view), "panelists": [], "version": version})["code"] == "stale_state"


def test_apply_is_refused_once_the_show_has_started(client, connect):
    token = _signed_in(client)
    mod = connect("moderator")
    assert mod.call("timer:start", {})["ok"]
    view = _upload(client, xlsx(RUNDOWN_12), token).get_json()
    assert view["started"] is True
    before = _titles(connect)
    ack = mod.call("run:import", {"rows": _rows(view), "panelists": view["panelists"]})
    assert ack["ok"] is False and ack["code"] == "invalid_state" and "The show has started" in ack["message"]
    assert _titles(connect) == before


def test_apply_with_a_bad_row_is_refused_and_changes_nothing(connect):
    mod = connect("moderator")
    before = _titles(connect)
    row = {"title": "Talk", "kind": "panelist", "length_ms": 1, "panelist": "nobody"}
    ack = mod.call("run:import", {"rows": [row], "panelists": []})
    assert ack["ok"] is False and ack["code"] == "invalid_payload" and "Segment 1" in ack["message"]
    assert _titles(connect) == before


def test_the_exports_download_and_the_event_file_parses(client):
    _signed_in(client)
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/moderate/run-of-show.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("title", "kind", "duration")
    assert rows[1][:3] == ("Opening and introductions", "opening", "00:08:00")
    csv_text = client.get("/moderate/run-of-show.csv").data.decode("utf-8-sig")
    assert csv_text.splitlines()[1].startswith("Opening and introductions,opening,00:08:00")
    toml = client.get("/moderate/event.toml")
    assert toml.headers["Content-Disposition"] == 'attachment; filename="ILO22.toml"'
    spec = parse_event(toml.data.decode("utf-8"), "ILO22.toml")
    assert spec.event.code == "ILO22" and len(spec.segments) == 9 and len(spec.polls) == 3
