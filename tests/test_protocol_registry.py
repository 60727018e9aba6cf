"""The protocol registry is the one place event names live: the JavaScript, docs/protocol.md and
the Python sources are checked against it (protocol/registry.py, protocol/messages.py)."""
import ast
import re
from pathlib import Path

import pytest

from forum_live.protocol.messages import MESSAGES
from forum_live.protocol.namespaces import API, AUDIENCE, MODERATOR, PROJECTOR, RAPPORTEUR, STAGE
from forum_live.protocol.registry import ACTIONS, CLOCK_PING, CLOCK_PING_ROLES, event_names
from forum_live.services import audit_text

ROOT = Path(__file__).resolve().parents[1]
JS = sorted((ROOT / "static" / "js").glob("*.js"))
DOC = (ROOT / "docs" / "protocol.md").read_text("utf-8")
#: Socket.IO's own events (the client library's), not forum-live's.
SOCKET_IO_EVENTS = {"connect", "disconnect", "connect_error", "reconnect_attempt"}
EVENT_NAME = re.compile(r"""["'`]([a-z]+(?:-[a-z]+)*:[a-z]+(?:-[a-z]+)*)["'`]""")
#: "word:word" strings in static/js that are not event names.
NOT_EVENTS_JS = {"mm:ss", "id:status"}


def _js_event_literals() -> set[str]:
    return {m for path in JS for m in EVENT_NAME.findall(path.read_text("utf-8"))} - NOT_EVENTS_JS


def test_every_client_event_name_in_the_javascript_is_in_the_registry():
    names = _js_event_literals()
    assert len(names) > 40  # the scan finds the emits (moderator.js, outbox.js …)
    assert names - event_names() == set()


def test_every_registered_client_event_is_sent_by_some_page():
    assert event_names() - _js_event_literals() == set()


def test_every_server_event_the_javascript_listens_to_is_in_the_registry():
    listened = set()
    for path in JS:
        text = path.read_text("utf-8")
        listened |= set(re.findall(r"""\.on\(\s*["']([a-z_]+)["']""", text))
        parts = re.search(r"const PARTS = \[([^\]]*)\]", text)
        if parts:
            listened |= set(re.findall(r'"([a-z_]+)"', parts.group(1)))
    assert {"state", "run", "mine", "takeaways"} <= listened
    assert listened - SOCKET_IO_EVENTS - set(MESSAGES) == set()
    assert set(MESSAGES) - listened == set()


def test_the_outbox_sends_only_registered_phone_and_takeaway_events():
    outbox = (ROOT / "static" / "js" / "outbox.js").read_text("utf-8")
    sent = set(EVENT_NAME.findall(re.search(r"const EVENTS = \{([^}]*)\}", outbox).group(1)))
    assert sent == {"question:submit", "question:upvote", "poll:vote", "poll:withdraw", "takeaway:add"}
    assert all(name in ACTIONS for name in sent)


# ---- docs/protocol.md ---------------------------------------------------------------------------

def _section(start: str, end: str) -> str:
    return DOC[DOC.index(start):DOC.index(end)]


#: The client -> server sections of docs/protocol.md and the roles each names.
DOC_SECTIONS = {"### Any namespace": CLOCK_PING_ROLES, "### `/audience`": {AUDIENCE},
                "### `/moderator`\n": {MODERATOR}, "### `/moderator` and `/rapporteur`": {MODERATOR, RAPPORTEUR}}


def _documented_client_events() -> dict[str, set[str]]:
    body = _section("## Client → server events", "### Error codes")
    heads = [(body.index(head), roles) for head, roles in DOC_SECTIONS.items()]
    found: dict[str, set[str]] = {}
    for i, (at, roles) in enumerate(sorted(heads, key=lambda h: h[0])):
        end = sorted(h[0] for h in heads)[i + 1] if i + 1 < len(heads) else len(body)
        for row in re.findall(r"^\| (.+?) \|", body[at:end], flags=re.M):
            for name in re.findall(r"`([a-z]+(?:-[a-z]+)*:[a-z]+(?:-[a-z]+)*)`", row):
                found.setdefault(name, set()).update(roles)
    return found


def test_the_docs_client_event_tables_match_the_registry():
    documented = _documented_client_events()
    registered = {name: set(entry.roles) - {API} for name, entry in ACTIONS.items()} | {CLOCK_PING: set(CLOCK_PING_ROLES)}
    assert documented == registered


def test_the_docs_server_event_table_matches_the_registry():
    table = _section("## Server → client events", "### `state`")
    assert "| event | roles | to | payload |" in table
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \|", table, flags=re.M)
    documented = {name: {r.strip() for r in roles.split(",")} for name, roles in rows}
    assert documented == {name: set(m.roles) for name, m in MESSAGES.items()}


def test_the_docs_name_the_control_api_actions_of_the_registry():
    api_doc = (ROOT / "docs" / "api.md").read_text("utf-8")
    for entry in ACTIONS.values():
        for api_name in entry.api:
            assert f"/api/v1/{api_name}" in api_doc, api_name


# ---- the Python sources -------------------------------------------------------------------------

#: Modules that may write a client event name: the registry itself.
NAME_OWNERS = {"protocol/registry.py"}
#: "word:word" strings in src that are not event names.
NOT_EVENTS_PY: set[str] = set()


def _string_literals(tree: ast.AST):
    """The string constants of ``tree`` that are code, not docstrings."""
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def test_the_registry_is_the_one_place_a_client_event_name_is_written_in_python():
    pattern = re.compile(r"[a-z]+(?:-[a-z]+)*:[a-z]+(?:-[a-z]+)*")
    found = []
    for path in sorted((ROOT / "src" / "forum_live").rglob("*.py")):
        rel = path.relative_to(ROOT / "src" / "forum_live").as_posix()
        if rel in NAME_OWNERS:
            continue
        found += [f"{rel}:{node.lineno}: {node.value}" for node in _string_literals(ast.parse(path.read_text("utf-8")))
                  if pattern.fullmatch(node.value) and node.value not in NOT_EVENTS_PY]
    assert found == []


def test_the_scan_for_event_names_finds_them():
    tree = ast.parse('"""Docs may name ``timer:start``."""\nNAME = "timer:start"\n')
    assert [n.value for n in _string_literals(tree)] == ["timer:start"]


def test_every_server_event_name_is_declared_once_in_messages():
    assert set(MESSAGES) == {"state", "event", "run", "questions", "polls", "scene", "mine", "mine_patch", "stage",
                             "summary_url", "takeaways", "audit", "presence"}


# ---- the entries themselves ---------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_each_entry_is_complete(name):
    entry = ACTIONS[name]
    assert entry.name == name and entry.roles and entry.doc and entry.fn.__doc__
    assert entry.roles <= {AUDIENCE, MODERATOR, RAPPORTEUR, API}, "projectors and stage views send no action"
    assert f"``{name}``" in entry.fn.__doc__, "the action's docstring names its event"
    if entry.describe is not None:
        assert entry.audited and getattr(audit_text, entry.describe.__name__) is entry.describe
    if API in entry.roles:
        assert MODERATOR in entry.roles and not entry.read


def test_the_audience_actions_are_never_audited_and_the_others_are_unless_reads():
    for entry in ACTIONS.values():
        assert entry.audited == (not entry.read and AUDIENCE not in entry.roles), entry.name


def test_only_the_takeaways_are_not_show_changes():
    assert {n for n, e in ACTIONS.items() if not e.show_change} == {"takeaway:add", "takeaway:edit", "takeaway:delete"}


def test_the_roles_have_no_screen_actions():
    assert not [n for n, e in ACTIONS.items() if e.roles & {PROJECTOR, STAGE}]
