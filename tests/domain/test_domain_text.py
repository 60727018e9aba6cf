"""clean_text: what is kept and removed from text strangers type, and the length limits."""
import pytest

from forum_live.domain.errors import ForumError
from forum_live.domain.text import clean_text

FAMILY = "\U0001F468\u200d\U0001F469\u200d\U0001F467"           # man, woman, girl joined by ZWJ
RAINBOW_FLAG = "\U0001F3F3\ufe0f\u200d\U0001F308"                # white flag, VS16, ZWJ, rainbow
TECHNOLOGIST = "\U0001F469\U0001F3FD\u200d\U0001F4BB"            # woman, skin tone, ZWJ, laptop
ARABIC = "ما هو التعاون بين بلدان الجنوب؟"
THAI = "ความร่วมมือใต้-ใต้ช่วยเราได้อย่างไร"
CHINESE = "南南合作如何帮助青年就业？"
HINDI = "दक्षिण-दक्षिण सहयोग"

KEPT = {
    "trims and collapses spaces": ("  decent   work  ", False, "decent work"),
    "NFC: e + combining acute becomes é": ("cafe\u0301", False, "caf\u00e9"),
    "control characters removed": ("a\x00b\x07c\x1bd\x7fe\x85f", False, "abcdef"),
    "tab and newline become spaces on one line": ("a\tb\nc\rd", False, "a b c d"),
    "multiline keeps newlines, trims each line": ("  a   b \n\n  c  ", True, "a b\n\nc"),
    "multiline CRLF becomes one newline": ("a\r\nb", True, "a\nb"),
    "multiline tab becomes a space": ("a\tb", True, "a b"),
    "zero-width space, word joiner, BOM removed": ("a\u200bb\u2060c\ufeffd", False, "abcd"),
    "ZWNJ and a ZWJ between letters removed": ("a\u200cb\u200dc", False, "abc"),
    "bidi override removed": ("abc\u202edcba\u202c", False, "abcdcba"),
    "bidi embeddings, isolates and marks removed": (
        "\u202aa\u202bb\u202dc\u2066d\u2067e\u2068f\u2069g\u200eh\u200f", False, "abcdefgh"),
    "leading and trailing ZWJ removed": ("\u200d\U0001F600\u200d", False, "\U0001F600"),
    "emoji ZWJ family kept": (f"We {FAMILY}", False, f"We {FAMILY}"),
    "emoji ZWJ flag with variation selector kept": (RAINBOW_FLAG, False, RAINBOW_FLAG),
    "emoji ZWJ with skin tone kept": (TECHNOLOGIST, False, TECHNOLOGIST),
    "Arabic kept": (ARABIC, False, ARABIC),
    "Thai with tone marks kept": (THAI, False, THAI),
    "Chinese kept": (CHINESE, False, CHINESE),
    "Devanagari with virama kept": (HINDI, False, HINDI),
    "Arabic letter mark (a bidi control) removed": ("\u061cabc", False, "abc"),
    "invisible separators and operators removed": ("a\u180eb\u2061c\u2064d", False, "abcd"),
    "lone surrogates removed": ("a\ud800b\udfffc", False, "abc"),
    "four combining marks after a letter kept": ("q\u0301\u0302\u0303\u0304x", False, "q\u0301\u0302\u0303\u0304x"),
    "Zalgo: combining marks past four cut": ("q" + "\u0310\u0311\u0312\u0313\u0314\u033d" * 5 + "a", False,
                                          "q\u0310\u0311\u0312\u0313a"),
    "flag tag sequence (England) kept": ("\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F",
                                         False, "\U0001F3F4\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F"),
}


@pytest.mark.parametrize(("raw", "multiline", "expected"), KEPT.values(), ids=KEPT.keys())
def test_clean_text_output(raw, multiline, expected):
    assert clean_text(raw, field="Text", min_len=1, max_len=200, multiline=multiline) == expected


def test_clean_text_at_exact_limits_is_accepted():
    assert clean_text("abcde", field="Text", min_len=5, max_len=5) == "abcde"


def test_clean_text_counts_length_after_cleaning():
    assert clean_text("   abc\u200bde   ", field="Text", min_len=5, max_len=5) == "abcde"


REFUSED = {
    "shorter than the minimum": ("ab", 3, 10, "invalid_text"),
    "blank": ("   ", 1, 10, "invalid_text"),
    "only invisible characters": ("\u200b\u202e\u2066", 1, 10, "invalid_text"),
    "only control characters": ("\x00\x01", 1, 10, "invalid_text"),
    "longer than the maximum after cleaning": ("abcdefghijk", 1, 10, "invalid_text"),
    "raw input over four times the maximum, even if mostly spaces": (" " * 41 + "a", 1, 10, "invalid_text"),
    "None": (None, 1, 10, "invalid_payload"),
    "a number": (12, 1, 10, "invalid_payload"),
    "bytes": (b"hello", 1, 10, "invalid_payload"),
    "a list": (["hello"], 1, 10, "invalid_payload"),
}


@pytest.mark.parametrize(("raw", "min_len", "max_len", "code"), REFUSED.values(), ids=REFUSED.keys())
def test_clean_text_refuses(raw, min_len, max_len, code):
    with pytest.raises(ForumError) as err:
        clean_text(raw, field="Question", min_len=min_len, max_len=max_len)
    assert err.value.code == code
    assert "Question" in err.value.message


def test_runs_of_blank_lines_in_a_question_collapse_to_one():
    from forum_live.domain.questions import clean_question
    assert clean_question("line1\n\n\n\n\n\n\n\n\n\n\nline2") == "line1\n\nline2"
    assert clean_question("para1\n\npara2\nline3") == "para1\n\npara2\nline3"


def test_a_name_of_only_invisible_characters_is_anonymous():
    from forum_live.domain.questions import clean_name
    assert clean_name("\u200b\u200b") is None
    assert clean_name("   ") is None
    assert clean_name(" Mai ") == "Mai"
