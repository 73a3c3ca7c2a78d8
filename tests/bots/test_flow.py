"""Scripted conversations in Arabic and English, through ``conversation_receive``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bots.models import ActiveHours, BotChannelSettings, BotSession, Stage
from helpdesk.models import Channel, ConversationState, OrganisationSettings, Ticket
from helpdesk.public_status import FAILED_PER_ADDRESS
from helpdesk.services.classifier import classifier_train
from helpdesk.services.conversations import conversation_greet, conversation_open
from tests.support.assistant import AssistantChat
from tests.support.factories import Org, make_contact, make_ticket

pytestmark = pytest.mark.django_db

NewChat = Callable[..., AssistantChat]


# ---- starting ------------------------------------------------------------------------


def test_it_greets_in_english_and_shows_the_menu(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("Hello")
    assert chat.conversation.state == ConversationState.BOT
    assert "Welcome to Muscat Municipality" in chat.replies()[0]
    assert chat.quick_replies() == [
        "Status of a report",
        "Service procedures",
        "Report a problem",
        "Talk to a staff member",
    ]


def test_it_numbers_the_menu_on_a_channel_without_buttons(facebook: NewChat) -> None:
    chat = facebook(language="en")
    chat.send("Hello")
    assert "1 — " in chat.last and "0 — " in chat.last


def test_it_takes_a_tapped_quick_reply_as_the_number_it_stands_for(webchat: NewChat) -> None:
    chat = webchat()
    chat.send("مرحبا")
    chat.send("الإبلاغ عن مشكلة")  # the label of "3", as the button sends it
    assert BotSession.objects.get(conversation=chat.conversation).stage == (
        Stage.REPORT_DESCRIPTION
    )


def test_it_still_understands_the_typed_digit_of_a_button(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("Hello")
    chat.send("2")
    assert BotSession.objects.get(conversation=chat.conversation).stage == (
        Stage.PROCEDURE_QUESTION
    )


def test_it_greets_with_the_menu_when_the_citizen_opens_the_chat(
    webchat: NewChat, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    chat = webchat(language="en")
    assert chat.contact is not None
    with django_capture_on_commit_callbacks(execute=True):
        conversation = conversation_open(
            channel=Channel.WEBCHAT, contact=chat.contact, language="en"
        )
        conversation_greet(conversation)
    assert "Welcome to Muscat Municipality" in chat.replies()[0]
    assert "Status of a report" in chat.quick_replies()


def test_it_greets_in_arabic_with_the_channel_greeting(webchat: NewChat) -> None:
    BotChannelSettings.objects.filter(channel="webchat").update(greeting_ar="حياك الله في نداء")
    chat = webchat()
    chat.send("السلام عليكم")
    assert chat.replies()[0].split("\n")[0] == "حياك الله في نداء"


def test_it_leaves_a_channel_to_humans_when_the_assistant_is_off(webchat: NewChat) -> None:
    BotChannelSettings.objects.filter(channel="webchat").update(enabled=False)
    chat = webchat()
    chat.send("مرحبا")
    assert chat.conversation.state == ConversationState.QUEUED
    assert chat.replies() == []


def test_it_leaves_a_channel_without_settings_to_humans(facebook: NewChat) -> None:
    BotChannelSettings.objects.filter(channel="facebook").delete()
    chat = facebook()
    chat.send("hello")
    assert chat.conversation.state == ConversationState.QUEUED


def test_it_answers_only_while_the_live_chat_is_closed_when_set_so(webchat: NewChat) -> None:
    BotChannelSettings.objects.filter(channel="webchat").update(
        active_hours=ActiveHours.OUTSIDE_HOURS
    )
    open_chat = webchat()
    open_chat.send("مرحبا")
    assert open_chat.conversation.state == ConversationState.QUEUED
    org = OrganisationSettings.load()
    org.chat_opens, org.chat_closes = "00:00", "00:00"  # closed all day
    org.save()
    closed_chat = webchat(phone="+96891234568")
    closed_chat.send("مرحبا")
    assert closed_chat.conversation.state == ConversationState.BOT


def test_it_answers_facebook_messages_with_the_same_flow(facebook: NewChat) -> None:
    chat = facebook()
    chat.send("hi")
    chat.send("2")
    assert BotSession.objects.get(conversation=chat.conversation).stage == (
        Stage.PROCEDURE_QUESTION
    )


# ---- status look-up ------------------------------------------------------------------


def test_it_tells_the_status_when_reference_and_digits_match_in_arabic(
    webchat: NewChat, org: Org
) -> None:
    ticket = make_ticket(org, contact=make_contact(phone="+96899887766"))
    number = int(ticket.reference.rsplit("-", 1)[1])
    year = ticket.reference.split("-")[1]
    arabic_digits = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    chat = webchat()
    chat.send("السلام عليكم")
    chat.send("١")
    chat.send(f"رقم البلاغ {year}/{number}".translate(arabic_digits))
    chat.send("٧٧٦٦")
    assert ticket.reference in chat.last
    assert ticket.get_status_display() in chat.last or "Registered" in chat.last
    assert "Said" not in chat.last and "99887766" not in chat.last


def test_it_understands_a_reference_typed_as_free_text_in_english(
    webchat: NewChat, org: Org
) -> None:
    ticket = make_ticket(org, contact=make_contact(phone="+96899887766"))
    chat = webchat(language="en")
    chat.send(f"what happened to my complaint {ticket.reference.lower().replace('-', ' ')}?")
    chat.send("7766")
    assert f"Report {ticket.reference}" in chat.last
    assert org.pothole.name_en in chat.last


def test_it_gives_the_same_answer_for_an_unknown_and_a_mismatched_reference(
    webchat: NewChat, org: Org
) -> None:
    ticket = make_ticket(org, contact=make_contact(phone="+96899887766"))
    unknown = webchat(language="en")
    unknown.send("status")
    unknown.send("MCT-2031-004321")
    unknown.send("7766")
    mismatched = webchat(language="en", phone="+96891112222")
    mismatched.send("status")
    mismatched.send(ticket.reference)
    mismatched.send("1234")
    assert unknown.last == mismatched.last
    assert ticket.reference not in mismatched.last


def test_it_stops_answering_status_look_ups_past_the_limit(webchat: NewChat, org: Org) -> None:
    ticket = make_ticket(org, contact=make_contact(phone="+96899887766"))
    chat = webchat(language="en")
    for attempt in range(FAILED_PER_ADDRESS.count):
        chat.send(ticket.reference)
        chat.send(f"{attempt:04d}")
    chat.send(ticket.reference)
    chat.send("7766")  # the right digits, but too late
    assert "Too many attempts" in chat.last
    assert f"Report {ticket.reference}" not in chat.last


def test_guessers_in_other_conversations_do_not_lock_the_owner_out(
    webchat: NewChat, org: Org
) -> None:
    ticket = make_ticket(org, contact=make_contact(phone="+96899887766"))
    for attempt in range(8):
        guesser = webchat(language="en", phone=f"+9689111{attempt:04d}")
        for guess in range(FAILED_PER_ADDRESS.count):
            guesser.send(ticket.reference)
            guesser.send(f"{attempt}{guess:03d}")
    owner = webchat(language="en", phone="+96899887766")
    owner.send(ticket.reference)
    owner.send("7766")
    assert f"Report {ticket.reference}" in owner.last


def test_it_asks_again_for_a_reference_it_cannot_read(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("1")
    chat.send("my number is lost")
    assert "MCT-2026-000123" in chat.last
    assert chat.conversation.state == ConversationState.BOT


# ---- procedures ----------------------------------------------------------------------


def test_it_explains_a_procedure_in_arabic_whatever_the_spelling(webchat: NewChat) -> None:
    chat = webchat()
    chat.send("مرحبا")
    chat.send("٢")
    chat.send("إجراءات رخصـة البناء")
    answer = chat.replies()[-2]
    assert answer.startswith("طلب رخصة بناء")
    assert "المستندات المطلوبة" in answer


def test_it_answers_an_english_question_without_the_menu(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("How do I renew my shop licence?")
    answers = [reply for reply in chat.replies() if "Renewing a shop" in reply]
    assert answers and "Steps:" in answers[0]


def test_it_says_so_when_no_procedure_matches(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("2")
    chat.send("visa for my cousin")
    assert "found no procedure" in chat.last
    assert chat.conversation.state == ConversationState.BOT


# ---- guided report -------------------------------------------------------------------


def test_it_registers_an_english_report_with_location_and_photo(
    facebook: NewChat, org: Org
) -> None:
    chat = facebook()
    chat.send("Hi")
    chat.send("3")
    chat.send("There is a huge pothole outside my house")
    assert "1 — Pothole" in chat.last
    chat.send("1")
    chat.send(latitude="23.588000", longitude="58.382900")
    chat.send(photo=True)
    chat.send("+968 9123 4567")  # a Facebook contact has no phone yet
    assert "Photos: 1" in chat.last
    chat.send("1")
    ticket = Ticket.objects.get()
    assert ticket.category == org.pothole
    assert ticket.channel == "facebook"
    assert ticket.conversation == chat.conversation
    assert str(ticket.latitude) == "23.588000"
    assert ticket.attachments.count() == 1
    assert ticket.contact.phone == "+96891234567"
    assert ticket.reference in chat.last
    assert ticket.status == "registered"


def test_it_registers_an_arabic_report_with_a_typed_address_and_no_photo(
    webchat: NewChat, org: Org
) -> None:
    chat = webchat()
    chat.send("الزبالة متكدسة عند البيت من أسبوع")
    chat.send("نعم")
    chat.send("الخوير، قرب مسجد السلطان")
    chat.send("تخطي")
    chat.send("١")
    ticket = Ticket.objects.get()
    assert ticket.category == org.garbage
    assert ticket.address == "الخوير، قرب مسجد السلطان"
    assert ticket.attachments.count() == 0
    assert ticket.reference in chat.last


def test_it_takes_a_location_shared_with_the_description(webchat: NewChat, org: Org) -> None:
    chat = webchat(language="en")
    chat.send("3")
    chat.send(latitude="23.600000", longitude="58.400000")
    chat.send("street light broken")
    chat.send("1")
    assert "photo" in chat.last  # the location is not asked again
    chat.send("skip")
    chat.send("1")
    assert Ticket.objects.get().category == org.streetlight


def test_it_proposes_one_category_when_the_model_is_confident(
    webchat: NewChat, org: Org, settings: Any
) -> None:
    settings.NIDAA_CLASSIFIER_CONFIDENCE = 0.5
    classifier_train()  # the test organisation's keywords alone
    chat = webchat(language="en")
    chat.send("3")
    chat.send("pothole")
    assert "This sounds like: Pothole" in chat.last
    assert "1 — " not in chat.last  # the others are numbered from 2
    chat.send("yes")
    assert "location" in chat.last.lower() or "where" in chat.last.lower()


def test_it_lists_three_to_choose_from_when_the_model_is_unsure(
    webchat: NewChat, org: Org, settings: Any
) -> None:
    settings.NIDAA_CLASSIFIER_CONFIDENCE = 0.99
    classifier_train()
    chat = webchat(language="en")
    chat.send("3")
    chat.send("something about the street")
    assert "Reply with its number" in chat.last
    assert "1 — " in chat.last and "3 — " in chat.last


def test_it_cancels_a_report_when_asked(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("3")
    chat.send("garbage everywhere")
    chat.send("cancel")
    assert Ticket.objects.count() == 0
    assert "Report a problem" in chat.quick_replies()


def test_it_asks_again_after_a_wrong_answer_and_goes_on(webchat: NewChat, org: Org) -> None:
    chat = webchat(language="en")
    chat.send("3")
    chat.send("garbage not collected")
    chat.send("7")  # there is no category 7
    assert "number of the category" in chat.last
    chat.send("1")
    assert BotSession.objects.get(conversation=chat.conversation).failures == 0
    chat.send("Al Khuwair near the mosque")
    assert chat.conversation.state == ConversationState.BOT


# ---- a human at any time -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("موظف", "ar"),
        ("ابي اكلم موظف لو سمحت", "ar"),
        ("خدمة العملاء", "ar"),
        ("agent", "en"),
        ("I want to talk to a human", "en"),
        ("0", "en"),
    ],
)
def test_it_hands_over_when_the_citizen_asks_for_a_person(
    webchat: NewChat, text: str, language: str
) -> None:
    chat = webchat(language=language)
    chat.send("3")
    chat.send(text)
    conversation = chat.conversation
    assert conversation.state == ConversationState.QUEUED
    queued = conversation.messages.get(event="queued")
    assert queued.data["reason"] == "assistant:citizen_asked"
    assert any(text in note for note in chat.notes())


def test_it_hands_over_in_the_middle_of_a_report_with_a_summary(webchat: NewChat, org: Org) -> None:
    chat = webchat(language="en")
    chat.send("3")
    chat.send("There is a pothole on our street")
    chat.send("agent please")
    (note,) = chat.notes()
    assert "There is a pothole on our street" in note
    assert org.pothole.name_ar in note  # the summary is in the center's language


def test_it_hands_over_after_two_misunderstandings_in_a_row(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("hello")
    chat.send("blah blah")
    assert chat.conversation.state == ConversationState.BOT
    chat.send("qwerty zzz")
    conversation = chat.conversation
    assert conversation.state == ConversationState.QUEUED
    assert conversation.messages.get(event="queued").data["reason"] == ("assistant:not_understood")
    assert any("qwerty zzz" in note for note in chat.notes())


def test_it_hands_over_after_two_failed_procedure_searches_in_arabic(webchat: NewChat) -> None:
    chat = webchat()
    chat.send("٢")
    chat.send("تأشيرة زيارة")
    chat.send("جواز سفر")
    assert chat.conversation.state == ConversationState.QUEUED
    (note,) = chat.notes()
    assert "تأشيرة زيارة" in note


def test_it_does_not_count_a_misunderstanding_once_understood_again(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("hello")
    chat.send("blah blah")
    chat.send("2")
    chat.send("shop licence renewal")
    chat.send("blah blah")
    assert chat.conversation.state == ConversationState.BOT


def test_it_does_not_take_staff_in_a_long_complaint_as_a_request(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("The restaurant staff do not wash hands and there is garbage all over the kitchen")
    assert chat.conversation.state == ConversationState.BOT


def test_it_stays_silent_once_the_conversation_is_with_staff(webchat: NewChat) -> None:
    chat = webchat(language="en")
    chat.send("agent")
    count = len(chat.replies())
    chat.send("hello? anyone?")
    assert len(chat.replies()) == count


def test_it_says_when_staff_will_answer_if_handing_over_while_closed(facebook: NewChat) -> None:
    chat = facebook(language="en")
    chat.send("hello")
    org = OrganisationSettings.load()
    org.chat_opens, org.chat_closes = "00:00", "00:00"
    org.save()
    chat.send("agent")
    assert "a staff member will answer when it opens" in chat.last
    assert chat.conversation.state == ConversationState.QUEUED


def test_it_leaves_the_hand_over_note_in_every_staff_language_with_what_it_is_about(
    webchat: NewChat, org: Org
) -> None:
    chat = webchat(language="en")
    chat.send("3")
    chat.send("There is a pothole on our street")
    chat.send("agent please")
    note = chat.conversation.messages.get(event="assistant_summary")
    assert note.is_internal
    english, arabic = note.data["texts"]["en"], note.data["texts"]["ar"]
    assert "Language: English" in english and org.pothole.name_en in english
    assert "اللغة: الإنجليزية" in arabic and org.pothole.name_ar in arabic
    assert note.data["subject"] == "There is a pothole on our street"
    assert note.text == arabic  # the stored text: the center's language


# ---- night on web chat: the assistant keeps serving -------------------------------------


def close_the_live_chat() -> None:
    org = OrganisationSettings.load()
    org.chat_opens, org.chat_closes = "00:00", "00:00"
    org.save()


def test_it_offers_to_leave_a_message_at_night_when_asked_for_a_person(
    webchat: NewChat, org: Org
) -> None:
    settings = OrganisationSettings.load()
    settings.fallback_category = org.garbage
    settings.save()
    close_the_live_chat()
    chat = webchat(language="en", phone="")
    chat.send("Hello")
    chat.send("Talk to a staff member")
    assert "not on duty now" in chat.last
    assert chat.conversation.state == ConversationState.BOT
    chat.send("The garbage truck skipped our street three times this month")
    ticket = Ticket.objects.get()
    assert (ticket.status, ticket.category, ticket.conversation) == (
        "new",
        org.garbage,
        chat.conversation,
    )
    assert ticket.reference in chat.last
    assert chat.conversation.state == ConversationState.BOT


def test_it_keeps_helping_at_night_after_misunderstandings(webchat: NewChat) -> None:
    close_the_live_chat()
    chat = webchat(language="en")
    chat.send("hello")
    chat.send("blah blah")
    chat.send("qwerty zzz")
    chat.send("zzz qwerty")
    assert chat.conversation.state == ConversationState.BOT
    assert "leave a message for the staff" in chat.last
    chat.send("2")
    assert BotSession.objects.get(conversation=chat.conversation).stage == (
        Stage.PROCEDURE_QUESTION
    )
