"""Takeaways: their text rules (like a question's, 1-500 characters) and the tags a new one gets
from what is on air."""
import pytest

from forum_live.domain.airtime import FloorChange
from forum_live.domain.errors import ForumError
from forum_live.domain.takeaways import OnAir, Tags, clean_takeaway, default_tags

KEPT = {
    "one character is enough": ("a", "a"),
    "exactly 500 characters": ("x" * 500, "x" * 500),
    "500 characters once spaces are trimmed": ("  " + "x" * 500 + "  ", "x" * 500),
    "line breaks kept, spaces collapsed": ("Trust first.\n  Then   money.", "Trust first.\nThen money."),
    "markup kept as text": ("<b>bold</b> & <script>x()</script>", "<b>bold</b> & <script>x()</script>"),
    "zero-width characters removed": ("fra\u200bgile", "fragile"),
    "bidi override removed": ("\u202eabc", "abc"),
    "right-to-left and CJK kept": ("التعاون 南南合作", "التعاون 南南合作"),
    "500 emoji count as 500 characters": ("\U0001F600" * 500, "\U0001F600" * 500),
}

REFUSED = {
    "empty": ("", "invalid_text"),
    "spaces only": ("   \n\t ", "invalid_text"),
    "invisible characters only": ("\u200b\u200d\u2060\ufeff\u202e", "invalid_text"),
    "501 characters": ("x" * 501, "invalid_text"),
    "far too long is refused before cleaning": ("x" * 5000, "invalid_text"),
    "a number": (42, "invalid_payload"),
    "null": (None, "invalid_payload"),
    "a list": (["text"], "invalid_payload"),
}


@pytest.mark.parametrize("raw,expected", KEPT.values(), ids=KEPT.keys())
def test_takeaway_text_is_cleaned_like_a_question(raw, expected):
    assert clean_takeaway(raw) == expected


@pytest.mark.parametrize("raw,code", REFUSED.values(), ids=REFUSED.keys())
def test_bad_takeaway_text_is_refused_with_a_clear_message(raw, code):
    with pytest.raises(ForumError) as err:
        clean_takeaway(raw)
    assert err.value.code == code and len(err.value.message) > 10


SLOT = dict(segment_id=7, panelist_id=2, key_question_id=1)
TAGS = {
    "nothing on air: no tags": (None, Tags()),
    "a panelist's slot: its panelist and key question": (OnAir(**SLOT), Tags(7, 2, 1)),
    "a discussion without panelist or key question": (OnAir(9, None, None), Tags(9, None, None)),
    "now speaking hands the floor to another panelist": (
        OnAir(**SLOT, floor_changes=(FloorChange(60_000, 4),), elapsed_ms=90_000), Tags(7, 4, 1)),
    "the latest now-speaking wins": (
        OnAir(**SLOT, floor_changes=(FloorChange(10_000, 4), FloorChange(50_000, 5)), elapsed_ms=90_000),
        Tags(7, 5, 1)),
    "now speaking: nobody": (OnAir(**SLOT, floor_changes=(FloorChange(10_000, None),), elapsed_ms=20_000),
                             Tags(7, None, 1)),
    "a change past the clock (after going back) does not count yet": (
        OnAir(**SLOT, floor_changes=(FloorChange(300_000, 4),), elapsed_ms=20_000), Tags(7, 2, 1)),
}


@pytest.mark.parametrize("on_air,expected", TAGS.values(), ids=TAGS.keys())
def test_a_new_takeaway_is_tagged_with_what_is_on_air(on_air, expected):
    assert default_tags(on_air) == expected
