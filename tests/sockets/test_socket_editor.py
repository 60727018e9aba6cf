"""The event editor's live edits over the wire: versioned and audited like the console's
commands (two consoles, a stale edit refused), shown at once on every screen, field errors in
the ack, the on-air segment's length as +/- time, its removal refused with the reason."""


def _console(connect, console):
    return connect("moderator", console=console)


def _version(actor) -> int:
    return actor.last("audit")["version"]


def test_a_fixed_name_shows_at_once_on_the_projector_the_phones_and_the_other_console(connect):
    editor, other = _console(connect, "console-edit"), _console(connect, "console-othr")
    projector, phone = connect("screen"), connect("audience")
    state = editor.last("state")
    panelist = state["event"]["panelists"][1]
    for actor in (other, projector, phone):
        actor.received()
    ack = editor.call("panelist:update", {"panelist_id": panelist["id"], "name": "Mr Anir Chowdhury (a2i)",
                                          "version": state["audit"]["version"]})
    assert ack == {"ok": True, "changed": ["name"], "version": state["audit"]["version"] + 1}
    for actor in (other, projector, phone):
        names = [p["name"] for p in actor.last("event")["panelists"]]
        assert "Mr Anir Chowdhury (a2i)" in names
    assert other.last("audit")["entries"][0]["summary"] == "Edited panelist Mr Anir Chowdhury (a2i) (name)"


def test_two_consoles_a_stale_edit_is_refused_and_changes_nothing(connect):
    a, b = _console(connect, "console-aaaa"), _console(connect, "console-bbbb")
    seen = b.last("state")["audit"]["version"]
    seg = a.last("state")["run"]["segments"][3]
    assert a.call("segment:update", {"segment_id": seg["id"], "title": "Fragile-to-fragile", "version": seen})["ok"]
    refused = b.call("segment:update", {"segment_id": seg["id"], "title": "Something else", "version": seen})
    assert refused["ok"] is False and refused["code"] == "stale_state"
    assert "Console 1" in refused["message"] and "not done" in refused["message"]
    assert b.last("run")["segments"][3]["title"] == "Fragile-to-fragile"
    # Up to date, B's edit goes through.
    assert b.call("segment:update", {"segment_id": seg["id"], "title": "Something else",
                                     "version": _version(b)})["ok"]


def test_a_field_that_breaks_a_rule_comes_back_named_and_nothing_changes(connect):
    mod = _console(connect, "console-errs")
    version = mod.last("state")["audit"]["version"]
    ack = mod.call("segment:add", {"kind": "qa", "title": "", "minutes": 0, "version": version})
    assert ack["ok"] is False and ack["code"] == "invalid_payload"
    assert set(ack["fields"]) == {"title", "minutes"}
    ack = mod.call("event:edit", {"booked_end": "2022-09-13T09:00", "version": version})
    assert ack["fields"] == {"booked_end": "booked_end must be after start"}
    assert mod.received("audit") == [] and mod.received("run") == []


def test_the_on_air_segments_new_length_acts_as_plus_minus_time_on_every_screen(connect):
    mod, projector = _console(connect, "console-time"), connect("screen")
    mod.call("timer:start")
    run = mod.last("run")
    on_air = next(s for s in run["segments"] if s["id"] == run["current_segment_id"])
    loaded = mod.call("editor:load")["editor"]
    shown = next(s for s in loaded["segments"] if s["id"] == on_air["id"])
    assert shown["state"] == "on-air" and shown["minutes"] == on_air["planned_ms"] / 60_000
    ack = mod.call("segment:update", {"segment_id": on_air["id"], "minutes": shown["minutes"] + 2})
    assert ack == {"ok": True, "changed": ["minutes"], "adjust_ms": 120_000}
    seg = next(s for s in projector.last("run")["segments"] if s["id"] == on_air["id"])
    assert (seg["planned_ms"], seg["adjust_ms"]) == (on_air["planned_ms"], 120_000)
    assert mod.last("audit")["entries"][0]["summary"].endswith("(length), +2:00 on air")


def test_removing_the_on_air_segment_is_refused_with_the_reason(connect):
    mod = _console(connect, "console-rmon")
    mod.call("timer:start")
    run = mod.last("run")
    ack = mod.call("segment:remove", {"segment_id": run["current_segment_id"]})
    assert ack["ok"] is False and ack["code"] == "invalid_state"
    assert "is on air" in ack["message"] and "Move on" in ack["message"]
    later = run["segments"][-2]["id"]
    assert mod.call("segment:remove", {"segment_id": later}) == {"ok": True}
    assert later not in [s["id"] for s in mod.last("run")["segments"]]


def test_a_new_panel_is_built_over_the_wire_and_the_editor_sees_it(connect):
    mod, phone = _console(connect, "console-build"), connect("audience")
    ids = [mod.call("panelist:add", {"name": name, "organisation": "Org"})["panelist_id"]
           for name in ("Ana", "Bo", "Cy")]
    kq = mod.call("key-question:add", {"text": "What works?", "prompts": ["Where?", "Why?"]})["key_question_id"]
    seg = mod.call("segment:add", {"kind": "panelist", "title": "Ana's talk", "minutes": 6, "panelist_id": ids[0],
                                   "key_question_id": kq, "position": 0})["segment_id"]
    assert mod.call("panelist:move", {"panelist_id": ids[2], "position": 0}) == {"ok": True}
    view = mod.call("editor:load")["editor"]
    assert [p["name"] for p in view["panelists"]][0] == "Cy"
    assert view["segments"][0]["id"] == seg and view["segments"][0]["key_question_id"] == kq
    assert next(k for k in view["key_questions"] if k["id"] == kq)["prompts"] == ["Where?", "Why?"]
    event = phone.last("event")
    assert [p["text"] for p in next(k for k in event["key_questions"] if k["id"] == kq)["prompts"]] == ["Where?", "Why?"]


def test_a_save_that_changes_nothing_is_not_in_the_activity_log(connect):
    mod = _console(connect, "console-noop")
    state = mod.last("state")
    panelist = state["event"]["panelists"][0]
    ack = mod.call("panelist:update", {"panelist_id": panelist["id"], "name": panelist["name"],
                                       "version": state["audit"]["version"]})
    assert ack == {"ok": True, "changed": []}
    assert mod.received("audit") == [] and mod.received("event") == []
