"""The server's messages to phones, in the phone's language, translated at the edge.

The rules (domain, services, protocol) write their refusals in English, with a stable code
(domain.errors.ForumError); what a phone can be told is matched here to a gettext message with
its values (a number, a name) and put in the phone's language by the sockets and the web pages,
by the language the phone connected with (protocol.outcome.Connection.locale). A message not
listed here stays as written (the moderator's and the API's messages are English).
tests/web/test_translations.py raises each of these refusals from the real rules and checks
that it is matched.
"""
from .i18n import DEFAULT, N_, MessageTable, translate

#: What a text field is called in the rules' messages (domain.text.clean_text's ``field``).
FIELDS = {"Question": N_("Question"), "Name": N_("Name"), "Answer": N_("Answer")}
#: Rate-limited things (protocol.ratelimit.KINDS) and who is limited.
LIMITED = {"questions": N_("questions"), "upvotes": N_("upvotes"),
           "similar-question look-ups": N_("similar-question look-ups")}
WHO = {"this phone": N_("this phone"), "this network address": N_("this network address")}
WINDOWS = {"minute": N_("minute"), "hour": N_("hour")}

#: (English pattern, gettext message): named groups fill the message's placeholders; a group
#: named ``field``, ``kind``, ``who`` or ``window`` is itself translated (FIELDS, LIMITED...).
MESSAGES = MessageTable([
    (r"(?P<field>Question|Name|Answer) is too long \(at most (?P<n>\d+) characters?\)\.",
     N_("%(field)s is too long (at most %(n)s characters).")),
    (r"(?P<field>Question|Name|Answer) is too short \(at least (?P<n>\d+) characters?\)\.",
     N_("%(field)s is too short (at least %(n)s characters).")),
    (r"(?P<field>Question|Name|Answer) must be text\.", N_("%(field)s must be text.")),
    (r"The session has ended: questions are closed\.", N_("The session has ended: questions are closed.")),
    (r"This question has been answered: it no longer takes upvotes\.",
     N_("This question has been answered: it no longer takes upvotes.")),
    (r"That theme is not one of this event's themes\.", N_("That theme is not one of this event's themes.")),
    (r"Theme must be text\.", N_("Theme must be text.")),
    (r"No question (?P<n>\d+)\.", N_("No question %(n)s.")),
    (r"No poll (?P<n>\d+)\.", N_("No poll %(n)s.")),
    (r"No panelist (?P<n>\d+) on this panel\.", N_("No panelist %(n)s on this panel.")),
    (r"This poll is not open\.", N_("This poll is not open.")),
    (r"Choose one of the poll's options\.", N_("Choose one of the poll's options.")),
    (r"Choose one or more of the poll's options \(a list of option ids\)\.",
     N_("Choose one or more of the poll's options.")),
    (r"Each option can be chosen once\.", N_("Each option can be chosen once.")),
    (r"Choose among the poll's options\.", N_("Choose among the poll's options.")),
    (r"Choose at most (?P<n>\d+) options\.", N_("Choose at most %(n)s options.")),
    (r"A rating is a whole number from 1 to (?P<n>\d+)\.", N_("A rating is a whole number from 1 to %(n)s.")),
    (r"Too many words: that is (?P<count>\d+)\. The word cloud takes one word or a short phrase of at most "
     r"(?P<n>\d+) words\.",
     N_("Too many words: that is %(count)s. The word cloud takes one word or a short phrase of at most %(n)s words.")),
    (r"Not allowed in the word cloud: the answer has a word on its list of offensive words\. Please choose another\.",
     N_("Not allowed in the word cloud: the answer has a word on its list of offensive words. Please choose another.")),
    (r"Too many (?P<kind>questions|upvotes|similar-question look-ups) from (?P<who>this phone|this network address): "
     r"at most (?P<n>\d+) per (?P<window>minute|hour)\. Please wait (?P<s>\d+) s and try again\.",
     N_("Too many %(kind)s from %(who)s: at most %(n)s per %(window)s. Please wait %(s)s s and try again.")),
    (r"Too many connections from your address; close other tabs and try again\.",
     N_("Too many connections from your address; close other tabs and try again.")),
    (r"There is no event with the code '(?P<code>[^']{0,20})'\.", N_("There is no event with the code “%(code)s”.")),
    (r"No event code given\.", N_("No event code given.")),
    (r"The server could not do that; nothing was changed\. Please try again\.",
     N_("The server could not do that; nothing was changed. Please try again.")),
    (r"The summary of this session is not published yet\.", N_("The summary of this session is not published yet.")),
])
_WORDS = {"field": FIELDS, "kind": LIMITED, "who": WHO, "window": WINDOWS}


def phone_message(message: str, lang: str) -> str:
    """``message`` (a rule's English refusal) in language ``lang``; unchanged when ``lang`` is
    English or the message is not one a phone is told (MESSAGES)."""
    found = None if lang == DEFAULT else MESSAGES.match(message)
    if found is None:
        return message
    msgid, groups = found
    return translate(lang, msgid, **{name: translate(lang, _WORDS[name][value]) if name in _WORDS else value
                                     for name, value in groups.items()})


def phone_ack(ack: dict, lang: str) -> dict:
    """An ack with its ``message`` (if any) in language ``lang`` (see phone_message)."""
    if lang == DEFAULT or not isinstance(ack, dict) or "message" not in ack:
        return ack
    return {**ack, "message": phone_message(ack["message"], lang)}
