"""The assistant's conversation flow: one turn per citizen message.

The same flow serves web chat, X and Facebook direct messages. A turn reads the
message, updates the :class:`~bots.models.BotSession` and answers through
``message_post``; handing over to a human goes through ``conversation_to_queue``
with an internal note summarising what the citizen asked and what the
assistant found. At any stage the citizen can type 0 or ask for a person, and
two misunderstandings in a row hand over by themselves: the assistant never
traps anyone.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bots.models import ActiveHours, BotChannelSettings, BotSession, KnowledgeArticle, Stage
from bots.search import article_search
from bots.services import (
    DEFAULT_CLOSED_AR,
    DEFAULT_CLOSED_EN,
    DEFAULT_GREETING_AR,
    DEFAULT_GREETING_EN,
)
from helpdesk.arabic import language_of, normalize, tokens
from helpdesk.business_hours import Calendar
from helpdesk.classify import Suggestion, category_suggestions
from helpdesk.errors import DomainError, InvalidInput, RateLimited
from helpdesk.models import (
    Attachment,
    Category,
    Channel,
    Conversation,
    ConversationState,
    Message,
    SenderKind,
    Ticket,
)
from helpdesk.privacy.notice import chat_notice
from helpdesk.public_status import public_status_check
from helpdesk.references import parse_reference
from helpdesk.roles import SYSTEM
from helpdesk.services.console import ASSISTANT_SUMMARY_EVENT
from helpdesk.services.contacts import contact_update, phone_verified
from helpdesk.services.conversations import conversation_to_queue, message_post
from helpdesk.services.tickets import ticket_create, ticket_from_left_message
from helpdesk.services.verification import phone_code_check, phone_code_send

MAX_FAILURES = 2
HISTORY_LENGTH = 5
# Channels whose clients show quick replies as buttons; the others read the numbered text.
BUTTON_CHANNELS = {Channel.WEBCHAT}
# Where nobody answers at night, the citizen who asks for a person leaves a message for
# the morning instead of waiting in an empty queue (social messages simply wait).
LEAVE_MESSAGE_CHANNELS = {Channel.WEBCHAT}

# Phrases are compared as normalised, stemmed words (see helpdesk.arabic.tokens).
_HUMAN_WORDS = {"agent", "human", "staff", "operator", "representative", "موظف", "انسان", "مندوب"}
_HUMAN_PHRASES = [
    "customer service",
    "customer care",
    "real person",
    "talk to someone",
    "speak to someone",
    "خدمة العملاء",
    "كلم موظف",
    "اكلم موظف",
    "ابي اكلم احد",
    "اكلم شخص",
    "شخص حقيقي",
]
_ASKING_VERBS = {"talk", "speak", "call", "connect", "transfer", "كلم", "اكلم", "تواصل", "حولني"}
_SHORT_MESSAGE_WORDS = 5
_MENU_WORDS = {"menu", "start", "back", "home", "قائمه", "القائمه", "رجوع", "البدايه", "ابدا"}
_CANCEL_WORDS = {"cancel", "stop", "الغاء", "الغ", "توقف"}
_YES_WORDS = {
    "yes",
    "y",
    "ok",
    "okay",
    "confirm",
    "sure",
    "نعم",
    "اي",
    "ايوه",
    "اوكي",
    "تمام",
    "اكيد",
    "موافق",
    "تاكيد",
    "اكد",
}
_NO_WORDS = {"no", "n", "لا", "كلا"}
_SKIP_WORDS = {
    "skip",
    "no",
    "none",
    "no photo",
    "later",
    "تخطي",
    "لا",
    "لاحقا",
    "بدون",
    "ما عندي",
    "لا يوجد",
    "ما في",
}
_GREETINGS = {
    "hi",
    "hello",
    "hey",
    "good morning",
    "good evening",
    "salam",
    "السلام عليكم",
    "سلام",
    "مرحبا",
    "هلا",
    "اهلا",
    "صباح الخير",
    "مساء الخير",
}
_STATUS_PHRASES = [
    "status",
    "track",
    "follow up",
    "my report",
    "my complaint",
    "حالة البلاغ",
    "حالة الشكوى",
    "متابعة البلاغ",
    "متابعة الشكوى",
    "وين وصل",
    "رقم البلاغ",
]
_QUESTION_WORDS = {
    "how",
    "what",
    "where",
    "when",
    "which",
    "procedure",
    "procedures",
    "documents",
    "requirements",
    "fees",
    "cost",
    "apply",
    "renew",
    "كيف",
    "شو",
    "وش",
    "ايش",
    "متي",
    "وين",
    "كم",
    "اجراءات",
    "خطوات",
    "متطلبات",
    "مستندات",
    "رسوم",
    "طريقه",
    "شروط",
}
# Free text starts a guided report unasked when its first category suggestion is
# confident (learned model) or, before any model is trained, scores at least this much
# on the keywords (one whole keyword few categories share, or a keyword phrase).
REPORT_MIN_SCORE = 2.2


def _sounds_like_a_report(suggestion: Suggestion) -> bool:
    if suggestion.probability is not None:
        return suggestion.confident
    return suggestion.keyword_score >= REPORT_MIN_SCORE


def _words(text: str) -> list[str]:
    return tokens(text, keep_stopwords=True)


def _has_phrase(words: list[str], phrases: list[str]) -> bool:
    for phrase in phrases:
        needle = _words(phrase)
        width = len(needle)
        if any(words[i : i + width] == needle for i in range(len(words) - width + 1)):
            return True
    return False


def _stems(values: set[str]) -> set[str]:
    return {stem for value in values for stem in _words(value)}


_HUMAN_STEMS = _stems(_HUMAN_WORDS)
_ASKING_STEMS = _stems(_ASKING_VERBS)
_QUESTION_STEMS = _stems(_QUESTION_WORDS)


def wants_human(text: str) -> bool:
    """Whether the citizen asks for a person ("agent", "موظف", "خدمة العملاء" …).

    A word like "staff" inside a long complaint ("the restaurant staff …") is
    not a request; in a short message or next to "talk"/"كلم" it is.
    """
    words = _words(text)
    if not words:
        return False
    if _has_phrase(words, _HUMAN_PHRASES):
        return True
    if _HUMAN_STEMS.isdisjoint(words):
        return False
    return len(words) <= _SHORT_MESSAGE_WORDS or not _ASKING_STEMS.isdisjoint(words)


def _is_one_of(text: str, choices: set[str]) -> bool:
    return normalize(text) in {normalize(choice) for choice in choices}


def _choice(text: str) -> int | None:
    normalised = normalize(text)
    return int(normalised) if normalised.isdigit() and len(normalised) <= 2 else None


def live_chat_is_open(moment: datetime.datetime | None = None) -> bool:
    """Whether staff answer the live chat now (working days, at the chat's hours)."""
    return Calendar.load_live_chat().is_open(moment or timezone.now())


def channel_settings(channel: str) -> BotChannelSettings | None:
    return BotChannelSettings.objects.filter(channel=channel).first()


def assistant_serves(channel: str) -> bool:
    """Whether a conversation opened now on ``channel`` starts with the assistant."""
    config = channel_settings(channel)
    if config is None or not config.enabled:
        return False
    if config.active_hours == ActiveHours.OUTSIDE_HOURS:
        return not live_chat_is_open()
    return True


def assistant_wants(conversation: Conversation) -> bool:
    """A new conversation starts with the assistant when its channel's settings say so.

    Channels without a settings row stay with humans; public posts (a conversation
    whose ``meta`` says ``public``) are never answered by the assistant.
    """
    return not conversation.meta.get("public") and assistant_serves(conversation.channel)


# ---- one turn -------------------------------------------------------------------------


# A quick reply: what a tap sends (the value the flow understands typed) and its label.
Choice = tuple[str, str]


@dataclass
class Turn:
    conversation: Conversation
    session: BotSession
    message: Message | None
    text: str
    replies: list[tuple[str, list[Choice]]] = field(default_factory=list)
    handed_over: str = ""
    greeted: bool = False

    @property
    def language(self) -> str:
        return self.session.language

    @property
    def slots(self) -> dict[str, Any]:
        return self.session.slots

    @property
    def buttons(self) -> bool:
        return self.conversation.channel in BUTTON_CHANNELS

    def say(self, text: str, choices: list[Choice] | None = None) -> None:
        self.replies.append((text, choices or []))


def _post_replies(turn: Turn) -> None:
    """Post the turn's replies; the last one's quick replies are remembered so that a
    tap, which sends the label, means what typing the value means."""
    offered: dict[str, str] = {}
    for text, choices in turn.replies:
        quick = [{"label": label, "text": label} for _value, label in choices]
        message_post(
            conversation=turn.conversation,
            sender_kind=SenderKind.BOT,
            text=text,
            quick_replies=quick or None,
        )
        offered = {normalize(label): value for value, label in choices}
    turn.slots["offered"] = offered


def _tapped(turn: Turn) -> None:
    """A tapped quick reply (its label) stands for its value ("1", "skip" …)."""
    offered: dict[str, str] = turn.slots.pop("offered", None) or {}
    value = offered.get(normalize(turn.text)) if turn.text else None
    if value is not None:
        turn.text = value


def _locked_session(conversation_id: int) -> tuple[Conversation, BotSession] | None:
    """The conversation and its assistant session, locked, while the assistant serves it."""
    conversation = Conversation.objects.select_for_update().get(pk=conversation_id)
    if conversation.state != ConversationState.BOT:
        return None
    session, _created = BotSession.objects.select_for_update().get_or_create(
        conversation=conversation, defaults={"language": conversation.language}
    )
    return conversation, session


def assistant_opened(conversation: Conversation) -> None:
    """A web chat citizen opened the widget's conversation: greet and show the menu at once."""
    with transaction.atomic():
        locked = _locked_session(conversation.pk)
        if locked is None or locked[1].stage != Stage.NEW:
            return
        conversation, session = locked
        turn = Turn(conversation, session, None, "")
        with translation.override(turn.language):
            _greet(turn)
            _show_menu(turn)
            _post_replies(turn)
        session.save()


def assistant_handle(message: Message) -> None:
    """Answer one citizen message of a conversation the assistant serves (after commit)."""
    if message.sender_kind != SenderKind.CITIZEN or message.is_internal:
        return
    with transaction.atomic():
        locked = _locked_session(message.conversation_id)
        if locked is None:
            return
        conversation, session = locked
        if message.seq <= session.last_seq:
            return  # already answered (a repeated delivery)
        session.last_seq = message.seq
        turn = Turn(conversation, session, message, message.text.strip())
        _tapped(turn)
        _follow_language(turn)
        _remember(turn)
        with translation.override(turn.language):
            _play(turn)
            _post_replies(turn)
        session.save()
        if turn.handed_over:
            _hand_over(turn)


def _follow_language(turn: Turn) -> None:
    # Switch when the citizen clearly writes in the other language (two words or
    # more), not for a lone "ok" or a reference number.
    if len(turn.text.split()) < 2 or parse_reference(turn.text):
        return
    language = language_of(turn.text)
    if language is not None:
        turn.session.language = language


def _remember(turn: Turn) -> None:
    if turn.text:
        history = [*turn.slots.get("history", []), turn.text[:200]]
        turn.slots["history"] = history[-HISTORY_LENGTH:]


def _staff_off_duty(turn: Turn) -> bool:
    """Night on a channel where the citizen leaves a message rather than waits."""
    return turn.conversation.channel in LEAVE_MESSAGE_CHANNELS and not live_chat_is_open()


def _play(turn: Turn) -> None:
    if turn.session.stage == Stage.NEW:
        _greet(turn)
    if wants_human(turn.text) or _choice(turn.text) == 0:
        if _staff_off_duty(turn):
            _offer_leave_message(turn)
        else:
            turn.handed_over = "citizen_asked"
        return
    if _is_one_of(turn.text, _MENU_WORDS) or (
        turn.session.stage != Stage.MENU and _is_one_of(turn.text, _CANCEL_WORDS)
    ):
        turn.slots.pop("report", None)
        _show_menu(turn)
        return
    handler = _STAGES.get(turn.session.stage, _at_menu)
    handler(turn)


def _greet(turn: Turn) -> None:
    """The assistant's first words (the one place they are chosen)."""
    config = channel_settings(turn.conversation.channel)
    greeting = config.greeting(turn.language) if config else ""
    if not greeting:
        greeting = DEFAULT_GREETING_EN if turn.language == "en" else DEFAULT_GREETING_AR
    turn.say(f"{greeting}\n{chat_notice()}")  # in the turn's language (see ``_play``)
    turn.session.stage = Stage.MENU
    turn.greeted = True


def _menu_choices() -> list[Choice]:
    return [
        ("1", _("Status of a report")),
        ("2", _("Service procedures")),
        ("3", _("Report a problem")),
        ("0", _("Talk to a staff member")),
    ]


def _menu_text(turn: Turn) -> str:
    if turn.buttons:
        return _("How can I help you? Choose below, or simply write your question.")
    return "\n".join(
        [
            _("How can I help you? Reply with a number:"),
            _("1 — Status of a report"),
            _("2 — Service procedures"),
            _("3 — Report a problem"),
            _("0 — Talk to a staff member (at any time)"),
            _("Or simply write your question."),
        ]
    )


def _show_menu(turn: Turn, *, intro: str = "") -> None:
    turn.session.stage = Stage.MENU
    menu = _menu_text(turn)
    turn.say(f"{intro}\n\n{menu}" if intro else menu, _menu_choices())


def _understood(turn: Turn) -> None:
    turn.session.failures = 0


def _not_understood(turn: Turn, hint: str, choices: list[Choice] | None = None) -> None:
    turn.session.failures += 1
    if _staff_off_duty(turn):
        # Nobody to hand over to: the assistant keeps helping; a person only when asked.
        turn.session.failures = 0
        turn.say(
            hint + "\n" + _("You can type 0 at any time to leave a message for the staff."),
            choices,
        )
        return
    if turn.session.failures >= MAX_FAILURES:
        turn.handed_over = "not_understood"
        return
    turn.say(hint + "\n" + _("You can type 0 at any time to talk to a staff member."), choices)


# ---- the menu and free text -----------------------------------------------------------


def _at_menu(turn: Turn) -> None:
    choice = _choice(turn.text)
    if choice == 1:
        _understood(turn)
        _ask_reference(turn)
    elif choice == 2:
        _understood(turn)
        turn.session.stage = Stage.PROCEDURE_QUESTION
        turn.say(_("Which service? Write a few words, for example: building permit."))
    elif choice == 3:
        _understood(turn)
        turn.slots["report"] = {}
        turn.session.stage = Stage.REPORT_DESCRIPTION
        turn.say(_("Please describe the problem in a few words (what and where)."))
    elif not _free_text(turn):
        if turn.greeted or _is_one_of(turn.text, _GREETINGS) or not turn.text:
            _show_menu(turn)
        else:
            _not_understood(
                turn, _("Sorry, I did not understand.") + "\n\n" + _menu_text(turn), _menu_choices()
            )


def _free_text(turn: Turn) -> bool:
    """Guess what free text wants: a status, a procedure or a report. False when unsure."""
    text = turn.text
    if not text:
        return False
    reference = parse_reference(text)
    if reference is not None:
        _understood(turn)
        turn.slots["reference"] = reference
        _ask_digits(turn)
        return True
    words = _words(text)
    if _has_phrase(words, _STATUS_PHRASES):
        _understood(turn)
        _ask_reference(turn)
        return True
    asks = "?" in text or "؟" in text or not _QUESTION_STEMS.isdisjoint(words)
    if asks and _answer_procedure(turn):
        return True
    suggestions = category_suggestions(text)
    if suggestions and _sounds_like_a_report(suggestions[0]):
        _understood(turn)
        turn.slots["report"] = {}
        _take_description(turn)
        return True
    return not asks and _answer_procedure(turn)


# ---- status look-up -------------------------------------------------------------------


def _ask_reference(turn: Turn) -> None:
    turn.session.stage = Stage.STATUS_REFERENCE
    turn.say(_("Please send the report number, for example MCT-2026-000123."))


def _ask_digits(turn: Turn) -> None:
    turn.session.stage = Stage.STATUS_DIGITS
    turn.say(
        _(
            "Thank you. To protect your data, send the last 4 digits of the phone number "
            "registered with the report."
        )
    )


def _at_status_reference(turn: Turn) -> None:
    reference = parse_reference(turn.text)
    if reference is None:
        _not_understood(turn, _("I could not read a report number. It looks like MCT-2026-000123."))
        return
    _understood(turn)
    turn.slots["reference"] = reference
    _ask_digits(turn)


def _at_status_digits(turn: Turn) -> None:
    digits = re.sub(r"\D", "", normalize(turn.text))
    reference = turn.slots.get("reference")
    if len(digits) < 4 or not reference:
        _not_understood(turn, _("Please send the last 4 digits of your phone number."))
        return
    _understood(turn)
    lookups = turn.slots.setdefault("lookups", [])
    try:
        # The status page's own limits, the conversation standing for the address:
        # guessing stays expensive, and nobody guessing elsewhere locks the owner out.
        payload = public_status_check(
            reference=reference,
            phone_last_digits=digits[-4:],
            client_address=f"conversation:{turn.conversation.pk}",
        )
    except RateLimited:
        lookups.append({"reference": reference, "outcome": "rate_limited"})
        _show_menu(
            turn,
            intro=_("Too many attempts. Please try again later, or type 0 to talk to staff."),
        )
        return
    if payload is None:
        lookups.append({"reference": reference, "outcome": "not_found"})
        _show_menu(
            turn,
            intro=_(
                "I found no report with this number and these phone digits. Please check "
                "both and try again."
            ),
        )
        return
    lookups.append({"reference": reference, "outcome": "found"})
    _show_menu(turn, intro=_status_text(payload))


def _status_text(payload: dict[str, Any]) -> str:
    lines = [
        _("Report %(reference)s: %(status)s")
        % {"reference": payload["reference"], "status": payload["status_label"]},
        _("Topic: %(category)s") % {"category": payload["category"]},
    ]
    latest = next((item for item in reversed(payload["timeline"]) if item["note"]), None)
    updated = datetime.datetime.fromisoformat(payload["updated_at"])
    lines.append(
        _("Last update: %(date)s")
        % {"date": timezone.localtime(updated).strftime("%Y-%m-%d %H:%M")}
    )
    if latest is not None:
        lines.append(_("Latest news: %(note)s") % {"note": latest["note"]})
    return "\n".join(lines)


# ---- procedures -----------------------------------------------------------------------


def _answer_procedure(turn: Turn) -> bool:
    matches = article_search(turn.text)
    if not matches:
        return False
    _understood(turn)
    best = matches[0].item
    turn.slots.setdefault("articles", []).append(best.slug)
    text = f"{best.title(turn.language)}\n\n{best.body(turn.language)}"
    others = [match.item.title(turn.language) for match in matches[1:]]
    if others:
        text += "\n\n" + _("See also: %(titles)s") % {"titles": " | ".join(others)}
    turn.say(text)
    _show_menu(turn, intro=_("Can I help with anything else?"))
    return True


def _at_procedure_question(turn: Turn) -> None:
    if not _answer_procedure(turn):
        turn.slots.setdefault("articles_not_found", []).append(turn.text[:200])
        _not_understood(
            turn,
            _("I found no procedure for that. Try other words, for example: shop licence."),
        )


# ---- guided report --------------------------------------------------------------------


def _report(turn: Turn) -> dict[str, Any]:
    report: dict[str, Any] = turn.slots.setdefault("report", {})
    return report


def _collect_evidence(turn: Turn) -> None:
    """A shared location or photo counts whenever it comes during a report."""
    report = _report(turn)
    message = turn.message
    if message is None:
        return
    if message.latitude is not None and message.longitude is not None:
        report["latitude"] = str(message.latitude)
        report["longitude"] = str(message.longitude)
    photos = [
        attachment.pk
        for attachment in message.attachments.all()
        if attachment.content_type.startswith("image/")
    ]
    if photos:
        report["photos"] = [*report.get("photos", []), *photos]


def _at_report_description(turn: Turn) -> None:
    _collect_evidence(turn)
    if not turn.text:
        turn.say(_("Thank you. Now please describe the problem in a few words."))
        return
    _take_description(turn)


def _take_description(turn: Turn) -> None:
    report = _report(turn)
    suggestions = category_suggestions(turn.text)
    if not suggestions:
        _not_understood(
            turn,
            _(
                "I could not tell what kind of problem this is. Please describe it in other "
                "words (for example: pothole, garbage not collected, street light off)."
            ),
        )
        return
    _understood(turn)
    report["description"] = turn.text
    report["choices"] = [match.item.pk for match in suggestions]
    turn.session.stage = Stage.REPORT_CATEGORY
    if suggestions[0].confident:
        # Sure enough to propose one category; the others stay one number away.
        lines = [
            _("This sounds like: %(category)s. Reply yes (or 1) to confirm.")
            % {"category": suggestions[0].item.name}
        ]
        if len(suggestions) > 1:
            lines.append(_("Or reply with the number of another:"))
    else:
        lines = [_("It sounds like one of these. Reply with its number:")]
    for number, match in enumerate(suggestions, start=1):
        if number > 1 or not suggestions[0].confident:
            lines.append(f"{number} — {match.item.name}")
    lines.append(_("Or describe the problem again in other words."))
    choices = [(str(number), match.item.name) for number, match in enumerate(suggestions, 1)]
    turn.say("\n".join(lines), choices)


def _at_report_category(turn: Turn) -> None:
    _collect_evidence(turn)
    report = _report(turn)
    choices: list[int] = report.get("choices", [])
    choice = 1 if _is_one_of(turn.text, _YES_WORDS) else _choice(turn.text)
    if choice is not None and 1 <= choice <= len(choices):
        _understood(turn)
        report["category"] = choices[choice - 1]
        _next_report_step(turn)
    elif len(turn.text.split()) >= 2:
        _take_description(turn)
    else:
        _not_understood(turn, _("Please reply with the number of the category."))


def _next_report_step(turn: Turn) -> None:
    report = _report(turn)
    if "latitude" not in report and "address" not in report:
        turn.session.stage = Stage.REPORT_LOCATION
        turn.say(
            _(
                "Where is it? Share your location, or write the area and a landmark "
                "(for example: Al Khuwair, near the mosque)."
            )
        )
    elif "photos" not in report and not report.get("photo_skipped"):
        turn.session.stage = Stage.REPORT_PHOTO
        turn.say(_("You can send a photo of the problem now, or type “skip”."), _skip())
    elif not turn.conversation.contact.phone and not report.get("phone_skipped"):
        turn.session.stage = Stage.REPORT_PHONE
        turn.say(
            _("Which mobile number should receive the report number by SMS? (or type “skip”)"),
            _skip(),
        )
    else:
        turn.session.stage = Stage.REPORT_CONFIRM
        turn.say(_report_summary(turn), [("1", _("Register it")), ("2", _("Cancel"))])


def _skip() -> list[Choice]:
    return [("skip", _("Skip"))]


def _at_report_location(turn: Turn) -> None:
    _collect_evidence(turn)
    report = _report(turn)
    if "latitude" not in report:
        address = turn.text.strip()
        if len(normalize(address)) < 3 or _choice(address) is not None:
            _not_understood(turn, _("Please share your location or write the area and a landmark."))
            return
        report["address"] = address[:300]
    _understood(turn)
    _next_report_step(turn)


def _at_report_photo(turn: Turn) -> None:
    _collect_evidence(turn)
    report = _report(turn)
    if "photos" in report:
        _understood(turn)
        _next_report_step(turn)
    elif _is_one_of(turn.text, _SKIP_WORDS):
        _understood(turn)
        report["photo_skipped"] = True
        _next_report_step(turn)
    else:
        _not_understood(turn, _("Please send a photo, or type “skip” to continue without one."))


def _at_report_phone(turn: Turn) -> None:
    report = _report(turn)
    if _is_one_of(turn.text, _SKIP_WORDS):
        _understood(turn)
        report["phone_skipped"] = True
        _next_report_step(turn)
        return
    try:
        contact_update(turn.conversation.contact, phone=turn.text)
    except InvalidInput as error:
        _not_understood(turn, error.message)
        return
    _understood(turn)
    _next_report_step(turn)


def _report_category(report: dict[str, Any]) -> Category | None:
    category_id = report.get("category")
    if category_id is None:
        return None
    return Category.objects.filter(pk=category_id, is_active=True).first()


def _report_summary(turn: Turn) -> str:
    report = _report(turn)
    category = _report_category(report)
    lines = [
        _("Please check your report:"),
        _("Problem: %(text)s") % {"text": report.get("description", "")},
        _("Type: %(category)s") % {"category": category.name if category else "—"},
    ]
    if "latitude" in report:
        lines.append(_("Place: your shared location"))
    if report.get("address"):
        lines.append(_("Place: %(address)s") % {"address": report["address"]})
    lines.append(_("Photos: %(count)d") % {"count": len(report.get("photos", []))})
    lines.append(_("Reply 1 to register it, or 2 to cancel."))
    return "\n".join(lines)


def _at_report_confirm(turn: Turn) -> None:
    report = _report(turn)
    choice = _choice(turn.text)
    if choice == 2 or _is_one_of(turn.text, _NO_WORDS | _CANCEL_WORDS):
        _understood(turn)
        turn.slots.pop("report", None)
        _show_menu(turn, intro=_("The report was cancelled."))
        return
    if choice != 1 and not _is_one_of(turn.text, _YES_WORDS):
        _not_understood(turn, _("Reply 1 to register the report, or 2 to cancel."))
        return
    category = _report_category(report)
    if category is None:
        turn.session.stage = Stage.REPORT_DESCRIPTION
        turn.say(_("Please describe the problem in a few words (what and where)."))
        return
    _understood(turn)
    ticket = _register(turn, report, category)
    turn.slots.setdefault("tickets", []).append(ticket.reference)
    turn.slots.pop("report", None)
    done = _("Your report is registered. Its number is %(reference)s.") % {
        "reference": ticket.reference
    }
    phone = turn.conversation.contact.phone
    if phone and not phone_verified(phone):
        _offer_code(turn, ticket, intro=done)
        return
    if phone:
        done += " " + _("You will also receive it by SMS.")
    _show_menu(turn, intro=done)


# ---- a typed mobile number proven with a code (helpdesk.services.verification) ----------


def _code_choices() -> list[Choice]:
    return [("1", _("Send me a code")), ("menu", _("Back to the menu"))]


def _offer_code(turn: Turn, ticket: Any, *, intro: str) -> None:
    turn.session.stage = Stage.PHONE_CODE
    turn.slots["verify_ticket"] = ticket.pk
    turn.say(
        intro
        + "\n"
        + _(
            "To receive its updates by SMS, confirm that the number ending in %(digits)s is "
            "yours: reply 1 and we will text it a 6-digit code, then type the code here."
        )
        % {"digits": ticket.contact.phone[-4:]},
        _code_choices(),
    )


def _at_phone_code(turn: Turn) -> None:
    ticket = (
        Ticket.objects.select_related("contact")
        .filter(pk=int(turn.slots.get("verify_ticket") or 0), conversation=turn.conversation)
        .first()
    )
    if ticket is None or _is_one_of(turn.text, _CANCEL_WORDS) or normalize(turn.text) == "menu":
        _understood(turn)
        turn.slots.pop("verify_ticket", None)
        _show_menu(turn)
        return
    try:
        if _choice(turn.text) == 1:
            phone_code_send(
                ticket=ticket, client_address=f"conversation:{turn.conversation.public_id}"
            )
            _understood(turn)
            turn.say(_("We sent the code. Type it here (it is valid for 10 minutes)."))
            return
        phone_code_check(ticket=ticket, code=turn.text)
    except DomainError as error:
        _understood(turn)
        turn.say(error.message, _code_choices())
        return
    _understood(turn)
    turn.slots.pop("verify_ticket", None)
    _show_menu(
        turn,
        intro=_(
            "Thank you: your number is verified. You will receive the report's updates by SMS."
        ),
    )


def _register(turn: Turn, report: dict[str, Any], category: Category) -> Any:
    description = report["description"]
    ticket = ticket_create(
        actor=SYSTEM,
        contact=turn.conversation.contact,
        channel=turn.conversation.channel,
        conversation=turn.conversation,
        category=category,
        subject=description[:120],
        description=description,
        latitude=Decimal(report["latitude"]) if "latitude" in report else None,
        longitude=Decimal(report["longitude"]) if "longitude" in report else None,
        address=report.get("address", ""),
    )
    Attachment.objects.filter(
        pk__in=report.get("photos", []), conversation=turn.conversation
    ).update(ticket=ticket)
    return ticket


# ---- night: a message for the morning --------------------------------------------------


def _offer_leave_message(turn: Turn) -> None:
    hours = Calendar.load_live_chat()
    turn.session.stage = Stage.LEAVE_MESSAGE
    turn.say(
        _(
            "Our staff are not on duty now (the live chat opens at %(opens)s on working "
            "days). Write your message for them here: it will be registered as a report "
            "and answered when they are back. I can still help you meanwhile."
        )
        % {"opens": hours.start.strftime("%H:%M")},
        [("menu", _("Back to the menu"))],
    )


def _at_leave_message(turn: Turn) -> None:
    if not turn.text:
        turn.say(_("Please write your message for the staff."), [("menu", _("Back to the menu"))])
        return
    _understood(turn)
    try:
        ticket = ticket_from_left_message(conversation=turn.conversation, text=turn.text)
    except InvalidInput as error:
        _show_menu(turn, intro=error.message)
        return
    turn.slots.setdefault("tickets", []).append(ticket.reference)
    done = _(
        "Thank you. Your message is registered as report %(reference)s. The staff will "
        "answer it when they are back; the answer will appear in this chat."
    ) % {"reference": ticket.reference}
    _show_menu(turn, intro=done)


_STAGES: dict[str, Callable[[Turn], None]] = {
    Stage.MENU: _at_menu,
    Stage.STATUS_REFERENCE: _at_status_reference,
    Stage.STATUS_DIGITS: _at_status_digits,
    Stage.PROCEDURE_QUESTION: _at_procedure_question,
    Stage.REPORT_DESCRIPTION: _at_report_description,
    Stage.REPORT_CATEGORY: _at_report_category,
    Stage.REPORT_LOCATION: _at_report_location,
    Stage.REPORT_PHOTO: _at_report_photo,
    Stage.REPORT_PHONE: _at_report_phone,
    Stage.REPORT_CONFIRM: _at_report_confirm,
    Stage.PHONE_CODE: _at_phone_code,
    Stage.LEAVE_MESSAGE: _at_leave_message,
}


# ---- hand-over ------------------------------------------------------------------------

_OUTCOMES = {
    "found": gettext_lazy("found, status given"),
    "not_found": gettext_lazy("not found"),
    "rate_limited": gettext_lazy("too many attempts, refused"),
}
_REASONS = {
    "citizen_asked": gettext_lazy("the citizen asked for a staff member"),
    "not_understood": gettext_lazy("the assistant did not understand twice in a row"),
}


def _hand_over(turn: Turn) -> None:
    conversation = turn.conversation
    with translation.override(turn.language):
        reply = _("I am passing you to a staff member. Please stay in this conversation.")
        if not live_chat_is_open():
            config = channel_settings(conversation.channel)
            notice = config.closed_notice(turn.language) if config else ""
            reply += "\n" + (
                notice or (DEFAULT_CLOSED_EN if turn.language == "en" else DEFAULT_CLOSED_AR)
            )
        message_post(conversation=conversation, sender_kind=SenderKind.BOT, text=reply)
    # Written in every staff language: each agent's console shows theirs (``data``).
    texts = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts[code] = handover_summary(turn.session, reason=turn.handed_over)
    report = turn.slots.get("report") or {}
    message_post(
        conversation=conversation,
        sender_kind=SenderKind.BOT,
        text=texts.get(settings.LANGUAGE_CODE, ""),
        is_internal=True,
        event=ASSISTANT_SUMMARY_EVENT,
        data={"texts": texts, "subject": str(report.get("description", ""))[:120]},
    )
    turn.session.stage = Stage.HANDED_OVER
    turn.session.save(update_fields=["stage", "updated_at"])
    conversation_to_queue(conversation, reason=f"assistant:{turn.handed_over}")


def handover_summary(session: BotSession, *, reason: str) -> str:
    """The internal note an agent reads first: what was asked, what the assistant found."""
    slots = session.slots
    lines = [
        _("Assistant summary — %(reason)s") % {"reason": _REASONS.get(reason, reason)},
        _("Language: %(language)s")
        % {"language": translation.get_language_info(session.language)["name_translated"]},
    ]
    history = slots.get("history", [])
    if history:
        lines.append(_("The citizen wrote:"))
        lines.extend(f"• {text}" for text in history)
    for lookup in slots.get("lookups", []):
        lines.append(
            _("Status look-up %(reference)s: %(outcome)s")
            % {
                "reference": lookup["reference"],
                "outcome": _OUTCOMES.get(lookup["outcome"], lookup["outcome"]),
            }
        )
    if slots.get("articles"):
        language = translation.get_language() or settings.LANGUAGE_CODE
        titles = {
            article.slug: article.title(language)
            for article in KnowledgeArticle.objects.filter(slug__in=slots["articles"])
        }
        shown = _(", ").join(titles.get(slug, slug) for slug in slots["articles"])
        lines.append(_("Articles shown: %(titles)s") % {"titles": shown})
    if slots.get("articles_not_found"):
        lines.append(
            _("No article found for: %(queries)s")
            % {"queries": " | ".join(slots["articles_not_found"])}
        )
    report = slots.get("report") or {}
    if report.get("description"):
        suggested = report.get("category") or next(iter(report.get("choices", [])), None)
        category = _report_category({"category": suggested})
        lines.append(
            _("Unfinished report: %(text)s (suggested type: %(category)s)")
            % {"text": report["description"], "category": category.name if category else "—"}
        )
    if slots.get("tickets"):
        lines.append(_("Reports registered: %(refs)s") % {"refs": ", ".join(slots["tickets"])})
    return "\n".join(lines)
