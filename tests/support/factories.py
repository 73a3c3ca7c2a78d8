"""Factories: small functions that build valid objects with sensible defaults."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from django.test import Client
from django.utils import timezone

from helpdesk.models import (
    Category,
    Contact,
    Directorate,
    Partner,
    Role,
    Section,
    Skill,
    SLAPolicy,
    Ticket,
)
from helpdesk.roles import SYSTEM, Actor
from helpdesk.services.contacts import phone_verified, phone_verified_mark
from helpdesk.services.staff import staff_user_upsert
from helpdesk.services.tickets import ticket_create

_counter = itertools.count(1)


@dataclass
class Org:
    roads: Directorate
    waste: Directorate
    potholes: Section
    lighting: Section
    collection: Section
    pothole: Category
    streetlight: Category
    garbage: Category
    water: Category
    haya: Partner
    omantel: Partner
    general: Skill
    tourism: Skill
    sla: SLAPolicy


def make_org() -> Org:
    sla = SLAPolicy.objects.create(
        code="standard",
        name_ar="عادي",
        name_en="Standard",
        first_response_minutes=240,
        resolution_minutes=3 * 420,
    )
    general = Skill.objects.create(code="general", name_ar="عام", name_en="General")
    tourism = Skill.objects.create(code="tourism", name_ar="سياحة", name_en="Tourism")
    roads = Directorate.objects.create(code="roads", name_ar="الطرق", name_en="Roads")
    waste = Directorate.objects.create(code="waste", name_ar="النظافة", name_en="Cleanliness")
    potholes = Section.objects.create(
        directorate=roads, code="road-maintenance", name_ar="صيانة الطرق", name_en="Road upkeep"
    )
    lighting = Section.objects.create(
        directorate=roads, code="lighting", name_ar="الإنارة", name_en="Street lighting"
    )
    collection = Section.objects.create(
        directorate=waste, code="collection", name_ar="جمع النفايات", name_en="Waste collection"
    )

    def category(code: str, ar: str, en: str, section: Section, kw_ar: str, kw_en: str) -> Category:
        return Category.objects.create(
            code=code,
            name_ar=ar,
            name_en=en,
            default_section=section,
            sla_policy=sla,
            skill=general,
            keywords_ar=kw_ar,
            keywords_en=kw_en,
        )

    return Org(
        roads=roads,
        waste=waste,
        potholes=potholes,
        lighting=lighting,
        collection=collection,
        pothole=category("pothole", "حفرة", "Pothole", potholes, "حفرة\nحفريات", "pothole"),
        streetlight=category(
            "streetlight", "إنارة", "Street light", lighting, "عمود إنارة", "street light"
        ),
        garbage=category("garbage", "قمامة", "Garbage", collection, "قمامة\nزبالة", "garbage"),
        water=category("water", "مياه", "Water", collection, "تسرب مياه", "water leak"),
        haya=Partner.objects.create(
            code="haya",
            name_ar="حيا للمياه",
            name_en="Haya Water",
            sms_number="+96891000001",
            email="haya@example.org",
            follow_up_en="Call Haya Water on 1442.",
            follow_up_ar="يرجى المتابعة مع حيا للمياه على 1442.",
        ),
        omantel=Partner.objects.create(
            code="omantel", name_ar="عمانتل", name_en="Omantel", email="omantel@example.org"
        ),
        general=general,
        tourism=tourism,
        sla=sla,
    )


def make_staff(role: str, **kwargs: Any) -> Any:
    number = next(_counter)
    kwargs.setdefault("username", f"{role}{number}")
    kwargs.setdefault("password", "pw-for-tests")
    return staff_user_upsert(role=role, **kwargs)


def actor(user: Any) -> Actor:
    return Actor(user=user, role=user.profile.role)


def make_contact(*, verified: bool = True, **kwargs: Any) -> Contact:
    """A citizen; their number counts as proven (as a caller's logged by staff) unless
    ``verified=False`` (a number typed in a form, not yet confirmed with a code)."""
    kwargs.setdefault("name", "Said")
    kwargs.setdefault("phone", "+96891234567")
    if verified and kwargs["phone"]:
        kwargs.setdefault("phone_verified_at", timezone.now())
    return Contact.objects.create(**kwargs)


def verify_phone(phone: str, *, language: str = "ar") -> None:
    """The citizen behind ``phone`` proved it earlier (an SMS code, a call to the center):
    their reports by that number are texted without a new code."""
    if not phone_verified_mark(phone) and not phone_verified(phone):
        make_contact(phone=phone, name="", language=language)


def make_ticket(org: Org, *, by: Actor = SYSTEM, register: bool = True, **kwargs: Any) -> Ticket:
    kwargs.setdefault("contact", make_contact())
    kwargs.setdefault("channel", "phone")
    kwargs.setdefault("category", org.pothole)
    kwargs.setdefault("subject", "Pothole on Sultan Qaboos Street")
    kwargs.setdefault("description", "A deep pothole near the Al Khuwair exit.")
    return ticket_create(actor=by, register=register, **kwargs)


def make_agent(*, available: bool = True, **kwargs: Any) -> Any:
    """A tier-1 agent, on duty and available unless told otherwise."""
    from django.utils import timezone

    from helpdesk.models import AgentProfile, Presence

    kwargs.setdefault("max_concurrent", 2)
    user = make_staff(kwargs.pop("role", "agent"), **kwargs)
    if available:
        AgentProfile.objects.filter(user=user).update(
            presence=Presence.AVAILABLE, last_heartbeat_at=timezone.now()
        )
    user.profile.refresh_from_db()
    return user


def make_waiting(**kwargs: Any) -> Any:
    """A conversation waiting in the live queue (no distribution triggered)."""
    from django.utils import timezone

    from helpdesk.models import Conversation

    kwargs.setdefault("contact", make_contact())
    kwargs.setdefault("channel", "webchat")
    kwargs.setdefault("state", "queued")
    kwargs.setdefault("queued_at", timezone.now())
    return Conversation.objects.create(**kwargs)


def make_tourism_desk(org: Org) -> tuple[Category, Any]:
    """The tourism desk's complaint category and one hotel to rate."""
    from helpdesk.models import Establishment
    from helpdesk.services.tourism import ESTABLISHMENT_COMPLAINT_CATEGORY

    complaint = Category.objects.create(
        code=ESTABLISHMENT_COMPLAINT_CATEGORY,
        name_ar="شكوى على منشأة سياحية",
        name_en="Complaint about a tourism establishment",
        default_section=org.potholes,
        sla_policy=org.sla,
        skill=org.tourism,
    )
    hotel = Establishment.objects.create(
        code="qurum-shore-hotel",
        kind="hotel",
        name_ar="فندق شاطئ القرم",
        name_en="Qurum Shore Hotel",
        area_ar="القرم",
        area_en="Qurum",
    )
    return complaint, hotel


def readable(text: str) -> str:
    """``text`` without the bidi marks of Arabic notifications (U+2066/2069 isolates,
    U+200E), its non-breaking hyphens (U+2011) as plain ones: what a reader sees."""
    for mark in ("\u2066", "\u2069", "\u200e"):
        text = text.replace(mark, "")
    return text.replace("\u2011", "-")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def staff(org: Org) -> dict[str, Any]:
    """One user per role; two sections' staff and two partners' users."""
    return {
        "agent": make_staff(Role.AGENT),
        "dispatcher": make_staff(Role.DISPATCHER),
        "section_a": make_staff(Role.SECTION_STAFF, sections=[org.potholes]),
        "section_b": make_staff(Role.SECTION_STAFF, sections=[org.collection]),
        "partner_haya": make_staff(Role.PARTNER, partner=org.haya),
        "partner_omantel": make_staff(Role.PARTNER, partner=org.omantel),
    }
