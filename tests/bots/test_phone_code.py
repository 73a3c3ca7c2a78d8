"""The assistant's guided report: a typed number is texted only once its owner types the code."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from helpdesk.models import Notification, Ticket
from helpdesk.services.verification import CODES_PER_NUMBER_HOUR
from tests.support.assistant import AssistantChat

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.redis]

NUMBER = "+96891234567"
NewChat = Callable[..., AssistantChat]


def sms(template: str) -> list[Notification]:
    return list(Notification.objects.filter(channel="sms", recipient=NUMBER, template_key=template))


def report_with_typed_number(facebook: NewChat) -> AssistantChat:
    chat = facebook()
    chat.send("Hi")
    chat.send("3")
    chat.send("There is a huge pothole outside my house")
    chat.send("1")
    chat.send(latitude="23.588000", longitude="58.382900")
    chat.send("skip")
    chat.send("+968 9123 4567")  # a Facebook contact has no phone yet: typed, not proven
    chat.send("1")
    return chat


def test_a_typed_number_gets_no_ticket_sms_and_the_reference_is_in_the_chat(
    facebook: NewChat,
) -> None:
    chat = report_with_typed_number(facebook)
    assert Ticket.objects.get().reference in chat.last
    assert "Send me a code" in chat.quick_replies()
    assert sms("ticket_registered") == []


def test_the_citizen_types_the_code_in_the_chat_and_gets_the_reference_sms(
    facebook: NewChat,
) -> None:
    chat = report_with_typed_number(facebook)
    chat.send("Send me a code")
    assert "We sent the code" in chat.last
    [code_sms] = sms("phone_code")
    code = re.search(r"\d{6}", code_sms.body)
    assert code is not None
    chat.send(code.group())
    assert "your number is verified" in chat.last
    [registered] = sms("ticket_registered")
    assert Ticket.objects.get().reference in registered.body


def test_a_wrong_code_in_the_chat_is_answered_and_the_citizen_may_retry(
    facebook: NewChat,
) -> None:
    chat = report_with_typed_number(facebook)
    chat.send("1")
    chat.send("12")
    assert "That code is not right" in chat.last
    assert sms("ticket_registered") == []


def test_codes_asked_in_the_chat_are_limited_per_number(facebook: NewChat) -> None:
    chat = report_with_typed_number(facebook)
    for _ in range(CODES_PER_NUMBER_HOUR.count + 1):
        chat.send("1")
    assert "Too many codes sent to this number" in chat.last
    assert len(sms("phone_code")) == CODES_PER_NUMBER_HOUR.count


def test_the_citizen_may_skip_the_code_and_go_back_to_the_menu(facebook: NewChat) -> None:
    chat = report_with_typed_number(facebook)
    chat.send("Back to the menu")
    assert "Report a problem" in chat.quick_replies()
    assert sms("phone_code") == []


def test_the_web_chat_form_number_is_verified_in_the_chat_in_arabic(webchat: NewChat) -> None:
    chat = webchat()  # the number came from the widget's pre-chat form
    chat.send("الزبالة متكدسة عند البيت من أسبوع")
    chat.send("نعم")
    chat.send("الخوير، قرب مسجد السلطان")
    chat.send("تخطي")
    chat.send("١")
    assert "4567" in chat.last and sms("ticket_registered") == []
    chat.send("أرسلوا لي رمزًا")
    [code_sms] = sms("phone_code")
    assert "رمز التحقق" in code_sms.body
    code = re.search(r"\d{6}", code_sms.body)
    assert code is not None
    chat.send(code.group())
    assert "تم التحقق من رقمك" in chat.last
    assert len(sms("ticket_registered")) == 1
