"""Every action that changes a device's own part (``mine``: its questions, upvotes, ballots and
answers' moderation) sends the new ``mine`` to each device it changes, in every tab.

Each scenario builds a small show (four phones, one with two tabs, with questions, upvotes and
ballots), then runs its steps; after *every* step (the setup's too) each tab's live ``mine`` (the
last one it received, else its snapshot's) must equal a fresh snapshot taken for that device.
Between them the scenarios send every event a phone or a console can send (checked below), so
a new action that forgets to send ``mine`` fails here.
"""
import pytest

from forum_live import create_app
from forum_live.sockets import handlers
from support.actors import Actor, apply_mine_patch
from support.server import TOKEN

PHONES = ("a", "a2", "b", "c")  # a2 is a second tab of phone a (same device)


@pytest.fixture
def app_config():
    """Generous limits: the scenarios are not about rate limits."""
    return {"FORUM_LIVE_RATE_QUESTIONS_DEVICE": "1000/minute", "FORUM_LIVE_RATE_QUESTIONS_IP": "1000/minute",
            "FORUM_LIVE_RATE_VOTES_DEVICE": "1000/minute", "FORUM_LIVE_RATE_VOTES_IP": "1000/minute"}


class Tab:
    """One phone tab: its Actor and the ``mine`` it holds live (snapshot, then each ``mine``)."""

    def __init__(self, actor):
        self.actor = actor
        self.mine = None
        self.token = None
        self.catch_up()

    def catch_up(self):
        """Read what arrived, in order; the latest ``state.mine`` or ``mine`` wins."""
        for packet in self.actor.sio.get_received(self.actor.namespace):
            if packet["name"] == "state":
                self.mine, self.token = packet["args"][0]["mine"], packet["args"][0]["device_token"]
            elif packet["name"] == "mine":
                self.mine = packet["args"][0]
            elif packet["name"] == "mine_patch":
                self.mine = apply_mine_patch(self.mine, packet["args"][0])
        return self.mine


class Show:
    """The world a scenario acts on: a console, the phone tabs, and the ids it made."""

    def __init__(self, connect, checked=True):
        self.connect, self.checked = connect, checked
        self.mod = connect("moderator")
        state = self.mod.last("state")
        self.polls = {p["kind"]: p for p in state["polls"]}
        self.segments = state["run"]["segments"]
        self.panelists = state["event"]["panelists"]
        self.prompts = [p for kq in state["event"]["key_questions"] for p in kq["prompts"]]
        self.tabs = {"a": Tab(connect("audience"))}
        self.tabs["a2"] = Tab(connect("audience", device=self.tabs["a"].token))
        self.tabs["b"], self.tabs["c"] = Tab(connect("audience")), Tab(connect("audience"))
        self.ids = {}
        self.sent = set()

    def phone(self, name):
        return self.tabs[name].actor

    def run(self, who, event, payload=None, ok=True):
        """Send ``event`` from ``who`` (a phone name or "mod"), check the ack, then every tab."""
        actor = self.mod if who == "mod" else self.phone(who)
        ack = actor.call(event, payload if payload is not None else {})
        assert ack["ok"] is ok, (event, payload, ack)
        self.sent.add(event)
        if self.checked:
            self.check(f"after {event} {payload}")
        return ack

    def check(self, when):
        for name, tab in self.tabs.items():
            fresh = self.connect("audience", device=tab.token)
            snapshot = fresh.last("state")["mine"]
            fresh.sio.disconnect(fresh.namespace)
            assert tab.catch_up() == snapshot, f"{name}'s live mine is stale {when}"

    def ask(self, who, key, text):
        ack = self.run(who, "question:submit", {"client_id": f"mine-{key}-0001", "text": text})
        self.ids[key] = ack["question"]["id"]
        return ack["question"]["id"]

    def upvote(self, who, key, on=True):
        self.run(who, "question:upvote", {"question_id": self.ids[key], "on": on})


def build_show(connect, checked=True) -> Show:
    """Questions qa (by a), qb (by b), qc (by c) on the wall; upvotes a->qb, a->qc, b->qa,
    b->qc, c->qb; a and b voted in the single-choice poll (then closed); c answered an open-text
    poll (open)."""
    s = Show(connect, checked)
    s.run("mod", "questions:settings", {"premoderation": False})
    s.ask("a", "qa", "How do we fund youth jobs in the region?")
    s.ask("b", "qb", "Which skills matter most after the pandemic?")
    s.ask("c", "qc", "How can social protection reach informal workers?")
    for who, key in (("a", "qb"), ("a", "qc"), ("b", "qa"), ("b", "qc"), ("c", "qb")):
        s.upvote(who, key)
    single = s.polls["single"]
    s.run("mod", "poll:open", {"poll_id": single["id"]})
    s.run("a", "poll:vote", {"poll_id": single["id"], "value": single["options"][0]["id"]})
    s.run("b", "poll:vote", {"poll_id": single["id"], "value": single["options"][1]["id"]})
    created = s.run("mod", "poll:create", {"kind": "text", "title": "What should the panel discuss next?"})
    s.ids["text_poll"] = created["poll_id"]
    s.run("mod", "poll:open", {"poll_id": created["poll_id"]})  # closes the single-choice poll
    s.run("c", "poll:vote", {"poll_id": created["poll_id"], "value": "Financing for the informal economy"})
    return s


@pytest.fixture
def show(connect):
    """The show every scenario starts from (build_show), checked after every step."""
    return build_show(connect)


def _answers(s):
    state = s.connect("moderator").last("state")
    poll = next(p for p in state["polls"] if p["id"] == s.ids["text_poll"])
    return poll["results"]["answers"]


def _merge_chain(s):
    """qa into qb, then qb into qc: qa's asker sees qa now joined to qc."""
    s.run("mod", "question:merge", {"question_id": s.ids["qa"], "into_id": s.ids["qb"]})
    s.run("mod", "question:merge", {"question_id": s.ids["qb"], "into_id": s.ids["qc"]})


def _merge_voted_both(s):
    """a upvoted qb and qc: merging qb into qc leaves a with one upvote; c's moves to qc."""
    s.run("mod", "question:merge", {"question_id": s.ids["qb"], "into_id": s.ids["qc"]})


def _merge_into_own(s):
    """b upvoted qa; qa merged into b's own question qb: b's upvote moves onto its own question."""
    s.run("mod", "question:merge", {"question_id": s.ids["qa"], "into_id": s.ids["qb"]})


def _merge_pending(s):
    s.run("mod", "questions:settings", {"premoderation": True})
    s.ask("c", "qc2", "Is there funding for skills in rural areas?")
    s.run("mod", "question:merge", {"question_id": s.ids["qc2"], "into_id": s.ids["qb"]})


def _moderate(action):
    def steps(s):
        s.run("mod", "question:moderate", {"question_id": s.ids["qb"], "action": action})
        s.run("mod", "question:moderate", {"question_id": s.ids["qb"], "action": "approve"})
    return steps


def _approve_pending(s):
    s.run("mod", "questions:settings", {"premoderation": True})
    s.ask("c", "qc2", "Is there funding for skills in rural areas?")
    s.run("mod", "question:moderate", {"question_id": s.ids["qc2"], "action": "approve"})


def _answer_then_archive(s):
    s.run("mod", "question:moderate", {"question_id": s.ids["qa"], "action": "answer",
                                       "answered_by": s.panelists[0]["id"]})
    s.run("mod", "question:moderate", {"question_id": s.ids["qa"], "action": "archive"})


def _withdraw(s):
    s.run("a", "question:withdraw", {"question_id": s.ids["qa"]})


def _phone_votes(s):
    single = s.polls["single"]
    s.run("mod", "poll:open", {"poll_id": single["id"]})
    s.run("c", "poll:vote", {"poll_id": single["id"], "value": single["options"][2]["id"]})
    s.run("a2", "poll:vote", {"poll_id": single["id"], "value": single["options"][3]["id"]})  # a's other tab
    s.run("b", "poll:withdraw", {"poll_id": single["id"]})
    s.upvote("c", "qa")
    s.upvote("a2", "qb", on=False)
    s.run("a", "question:similar", {"text": "How do we fund youth jobs?"})


def _poll_reset(s):
    s.run("mod", "poll:reset", {"poll_id": s.polls["single"]["id"], "confirm": True})
    s.run("mod", "poll:reset", {"poll_id": s.ids["text_poll"], "confirm": True})


def _text_answers(s):
    answer = _answers(s)[0]
    s.run("mod", "poll:answer", {"ballot_id": answer["id"], "action": "approve"})
    s.run("mod", "poll:answer", {"ballot_id": answer["id"], "action": "reject"})
    s.run("c", "poll:vote", {"poll_id": s.ids["text_poll"], "value": "Care work and social protection"})


def _poll_authoring(s):
    single = s.polls["single"]
    s.run("mod", "poll:close", {"poll_id": s.ids["text_poll"]})
    s.run("mod", "poll:reveal", {"poll_id": single["id"], "revealed": True})
    s.run("mod", "poll:show", {"poll_id": single["id"]})
    s.run("mod", "poll:update", {"poll_id": single["id"], "title": "Which theme comes first?",
                                 "options": [o["label"] + " (SSTC)" for o in single["options"]]})
    created = s.run("mod", "poll:create", {"kind": "single", "title": "Coffee or tea?", "options": ["Coffee", "Tea"]})
    s.run("mod", "poll:delete", {"poll_id": created["poll_id"]})
    s.run("mod", "poll:open", {"poll_id": single["id"]})  # reopening keeps the ballots


def _question_tools(s):
    s.run("mod", "question:edit", {"question_id": s.ids["qb"], "text": "Which skills matter most now?"})
    s.run("mod", "question:candidates", {"question_id": s.ids["qb"]})
    s.run("mod", "question:queue", {"question_id": s.ids["qc"], "position": 0})
    s.run("mod", "question:next")
    s.run("mod", "question:highlight", {"question_id": s.ids["qa"]})
    s.run("mod", "question:highlight", {"question_id": None})


def _timekeeping(s):
    s.run("mod", "timer:start")
    s.run("mod", "timer:pause")
    s.run("mod", "timer:adjust", {"delta_ms": 60_000})
    s.run("mod", "segment:skip", {"segment_id": s.segments[3]["id"], "skipped": True})
    s.run("mod", "segment:auto", {"segment_id": s.segments[2]["id"], "on": True})
    s.run("mod", "timer:next")
    s.run("mod", "speaker:set", {"panelist_id": s.panelists[0]["id"]})
    s.run("mod", "timer:previous")
    s.run("mod", "timer:goto", {"segment_id": s.segments[6]["id"]})  # the discussion: a prompt deck
    s.run("mod", "prompt:next")
    s.run("mod", "prompt:previous")
    s.run("mod", "prompt:show", {"prompt_id": s.prompts[0]["id"]})
    s.run("mod", "scene:set", {"scene": "join"})
    s.run("mod", "plan:preview", {"strategy": "spread"})
    s.run("mod", "timer:adjust", {"delta_ms": 60 * 60_000})  # an overrun to rebalance
    s.run("mod", "plan:apply", {"strategy": "spread"})
    s.run("mod", "plan:undo")
    s.run("mod", "stage:message", {"preset": "wrap-up"})
    s.run("mod", "stage:flash")
    s.run("mod", "stage:clear")
    s.run("mod", "stage:blackout", {"on": True})
    s.run("mod", "run:reset", {"confirm": True})
    # A new run of show (before the show): the phones' own questions, upvotes and ballots stay.
    s.run("mod", "run:import", {"rows": [{"title": "Opening", "kind": "opening", "length_ms": 300_000},
                                         {"title": "Guest", "kind": "panelist", "length_ms": 600_000,
                                          "panelist": "guest"}],
                                "panelists": [{"key": "guest", "name": "Ana Guest"}]})


def _end_of_show(s):
    s.run("mod", "timer:goto", {"segment_id": s.segments[-1]["id"]})
    s.run("mod", "timer:next", {"keep_questions_open": True})  # the end of the show closes the open poll
    s.ask("a", "qa2", "A follow-up question after the session?")
    s.run("mod", "questions:follow-up", {"open": False})
    s.run("b", "question:submit", {"client_id": "mine-late-0001", "text": "Too late for this one?"}, ok=False)


def _takeaways_and_summary(s):
    """Takeaways and the summary never change a device's own part (checked after each step)."""
    ack = s.run("mod", "takeaway:add", {"client_id": "mine-tk-0001", "text": "Fragile-to-fragile works."})
    taken = ack.get("takeaway", {}).get("id") or s.mod.last("takeaways")[0]["id"]
    s.run("mod", "takeaway:edit", {"takeaway_id": taken, "for_summary": True})
    s.run("mod", "summary:publish", {"published": True})
    s.run("mod", "takeaway:delete", {"takeaway_id": taken})
    s.run("mod", "summary:publish", {"published": False})


def _event_editor(s):
    """The event editor's changes: a phone's own part never moves (its questions to a removed
    panelist go to all panelists)."""
    s.run("mod", "editor:load")
    s.run("mod", "event:edit", {"title": "Building alliances"})
    added = s.run("mod", "panelist:add", {"name": "Ana Guest"})["panelist_id"]
    s.run("mod", "panelist:update", {"panelist_id": added, "role": "Director"})
    s.run("mod", "panelist:move", {"panelist_id": added, "position": 0})
    s.run("mod", "panelist:remove", {"panelist_id": s.panelists[0]["id"]})
    seg = s.run("mod", "segment:add", {"kind": "qa", "title": "More questions", "minutes": 5})["segment_id"]
    s.run("mod", "segment:update", {"segment_id": seg, "minutes": 6})
    s.run("mod", "segment:move", {"segment_id": seg, "position": 0})
    s.run("mod", "segment:remove", {"segment_id": seg})
    kq = s.run("mod", "key-question:add", {"text": "What next?", "prompts": ["Who?", "How?"]})["key_question_id"]
    s.run("mod", "key-question:update", {"key_question_id": kq, "prompts": ["Who?"]})
    s.run("mod", "key-question:remove", {"key_question_id": kq})


SCENARIOS = {
    "merge: a question merged earlier follows the next merge": _merge_chain,
    "merge: a device that upvoted both keeps one upvote, another's moves": _merge_voted_both,
    "merge: an upvote moves onto the voter's own question": _merge_into_own,
    "merge: a pending question": _merge_pending,
    "moderate: approve a pending question": _approve_pending,
    "moderate: reject then approve": _moderate("reject"),
    "moderate: archive then approve": _moderate("archive"),
    "moderate: answer then archive": _answer_then_archive,
    "withdraw": _withdraw,
    "phones vote, withdraw and upvote (two tabs)": _phone_votes,
    "poll reset": _poll_reset,
    "open-text answers moderated and changed": _text_answers,
    "poll authoring, reveal and reopen": _poll_authoring,
    "question tools": _question_tools,
    "timekeeping, prompts, scene and stage": _timekeeping,
    "the end of the show": _end_of_show,
    "takeaways and the audience summary": _takeaways_and_summary,
    "the event editor": _event_editor,
}


@pytest.mark.parametrize("steps", SCENARIOS.values(), ids=SCENARIOS.keys())
def test_each_devices_live_mine_equals_a_fresh_snapshot_after_every_action(show, steps):
    steps(show)


def test_the_scenarios_send_every_event_a_phone_or_a_console_can_send(tmp_path):
    """So a new event must get a scenario here (the checks are off: this is about coverage)."""
    sent = set()
    for n, steps in enumerate(SCENARIOS.values()):
        app = create_app({"TESTING": True, "INSTANCE_PATH": str(tmp_path / f"i{n}"), "SECRET_KEY": "test-secret",
                          "DATABASE_URL": f"sqlite:///{tmp_path / f'forum{n}.db'}", "FORUM_LIVE_ASYNC_MODE": "threading",
                          "FORUM_LIVE_MODERATOR_TOKEN": TOKEN})

        def connect(role, **auth):
            auth.setdefault("token" if role == "moderator" else "event", TOKEN if role == "moderator" else "ILO22")
            return Actor(app, f"/{role}", auth)
        s = build_show(connect, checked=False)
        steps(s)
        sent |= s.sent
    assert set(handlers("/audience")) | set(handlers("/moderator")) <= sent
