"""Load the demo organisation: directorates, sections, categories, partners, staff.

Idempotent: every row is matched by its code (or user name) and brought to the
demo values, so running it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import data as demo_data
from helpdesk.models import (
    CannedReply,
    Category,
    Directorate,
    Holiday,
    OrganisationSettings,
    Partner,
    Priority,
    Section,
    Skill,
    SLAPolicy,
    SLATarget,
)
from helpdesk.services.notifications import notification_templates_seed
from helpdesk.services.staff import role_groups_ensure, staff_user_upsert

DEMO_PASSWORD = "nidaa1111"  # noqa: S105 - documented demo login, never production

# (user name, role, first name, last name, display name, sections, partner, skills)
DEMO_USERS: list[dict[str, Any]] = [
    {
        "username": "agent",
        "role": "agent",
        "first_name": "Aisha",
        "last_name": "Al Balushi",
        "display_name": "عائشة",
        "skills": ["general", "building", "health", "partners"],
    },
    {
        "username": "agent2",
        "role": "agent",
        "first_name": "Salim",
        "last_name": "Al Harthy",
        "display_name": "Salim",
        "skills": ["general", "tourism", "partners"],
        "languages": ["ar", "en"],
    },
    {
        "username": "dispatcher",
        "role": "dispatcher",
        "first_name": "Khalid",
        "last_name": "Al Rawahi",
    },
    {
        "username": "section",
        "role": "section_staff",
        "first_name": "Maryam",
        "last_name": "Al Hinai",
        "sections": "first-directorate",
    },
    {
        "username": "supervisor",
        "role": "supervisor",
        "first_name": "Fatma",
        "last_name": "Al Lawati",
        "skills": "all",
    },
    {"username": "admin", "role": "administrator", "first_name": "Nasser", "last_name": "Al Kindi"},
    {
        "username": "partner",
        "role": "partner",
        "first_name": "Haya",
        "last_name": "Water",
        "partner": "haya_water",
    },
    # The Ministry of Tourism's official: reads the tourism desk, nothing else.
    {
        "username": "tourism",
        "role": "tourism_official",
        "first_name": "Huda",
        "last_name": "Al Siyabi",
    },
]


# Canned replies for the console; {name} and {reference} are filled in by the console.
CANNED_REPLIES: list[dict[str, str]] = [
    {
        "code": "greeting",
        "title_ar": "ترحيب",
        "title_en": "Greeting",
        "text_ar": "مرحبًا {name}، معك مركز الاتصال ١١١١ في بلدية مسقط. كيف أستطيع مساعدتك؟",
        "text_en": "Hello {name}, this is the Muscat Municipality contact center. How can I help?",
    },
    {
        "code": "ask-location",
        "title_ar": "طلب الموقع",
        "title_en": "Ask for the location",
        "text_ar": "هل يمكنك مشاركة الموقع أو ذكر أقرب معلم؟",
        "text_en": "Could you share the location or tell me the nearest landmark?",
    },
    {
        "code": "reference",
        "title_ar": "رقم البلاغ",
        "title_en": "Ticket number",
        "text_ar": "تم تسجيل بلاغك برقم {reference}. يمكنك متابعته من موقع البلدية.",
        "text_en": "Your report is registered as {reference}. You can follow it on the website.",
    },
    {
        "code": "closing",
        "title_ar": "ختام",
        "title_en": "Closing",
        "text_ar": "شكرًا لتواصلك مع بلدية مسقط يا {name}. نتمنى لك يومًا طيبًا.",
        "text_en": "Thank you for contacting Muscat Municipality, {name}. Have a good day.",
    },
    {
        "code": "ask-photo",
        "title_ar": "طلب صورة",
        "title_en": "Ask for a photo",
        "text_ar": "هل يمكنك إرسال صورة للمشكلة؟ تساعدنا على توجيه البلاغ للجهة المختصة.",
        "text_en": "Could you send a photo of the problem? It helps us route the report.",
    },
    {
        "code": "ask-phone",
        "title_ar": "طلب رقم الهاتف",
        "title_en": "Ask for a mobile number",
        "text_ar": "أرجو تزويدنا برقم هاتفك لنرسل لك رقم البلاغ ونتائج المتابعة.",
        "text_en": "Please give us your mobile number so we can send you the ticket number.",
    },
    {
        "code": "one-moment",
        "title_ar": "لحظة من فضلك",
        "title_en": "One moment",
        "text_ar": "لحظة من فضلك يا {name}، أتحقق من الأمر.",
        "text_en": "One moment please, {name}, I am checking.",
    },
    {
        "code": "partner-referral",
        "title_ar": "إحالة لجهة شريكة",
        "title_en": "Referred to a partner",
        "text_ar": (
            "هذا الموضوع من اختصاص جهة أخرى، وقد أحلناه إليها برقم {reference}. "
            "ستصلك رسالة بالتفاصيل."
        ),
        "text_en": (
            "This is handled by another body; we forwarded it as {reference}. You will get an SMS."
        ),
    },
]


class Command(BaseCommand):
    help = "Load (or refresh) the demo Muscat Municipality organisation and demo staff."

    @transaction.atomic
    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run with DEBUG off too (a throw-away server): creates logins with a "
            "published password.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Production: DEBUG off (NIDAA_PRODUCTION_CHECKS, nidaa/production.py).
        if settings.NIDAA_PRODUCTION_CHECKS and not options["force"]:
            raise CommandError(
                "demo_setup creates logins with a published password; it runs only with "
                "DEBUG=1 (or --force on a throw-away server)."
            )
        organisation = OrganisationSettings.load()
        policies = {
            row["code"]: _upsert(SLAPolicy, row["code"], {k: v for k, v in row.items()})
            for row in demo_data.SLA_POLICIES
        }
        # An urgent ticket in a slower category is held to the urgent policy's targets.
        for code in ("standard", "extended"):
            SLATarget.objects.update_or_create(
                policy=policies[code],
                priority=Priority.URGENT,
                defaults={
                    "first_response_minutes": policies["urgent"].first_response_minutes,
                    "resolution_minutes": policies["urgent"].resolution_minutes,
                },
            )
        skills = {row["code"]: _upsert(Skill, row["code"], dict(row)) for row in demo_data.SKILLS}
        sections: dict[str, Section] = {}
        categories: dict[str, Category] = {}
        first_directorate_sections: list[Section] = []
        for index, d in enumerate(demo_data.DIRECTORATES):
            directorate = _upsert(
                Directorate, d["code"], {"name_ar": d["name_ar"], "name_en": d["name_en"]}
            )
            for s in d["sections"]:
                section = _upsert(Section, s["code"], {**s, "directorate": directorate})
                sections[s["code"]] = section
                if index == 0:
                    first_directorate_sections.append(section)
        for c in demo_data.CATEGORIES:
            categories[c["code"]] = _upsert(
                Category,
                c["code"],
                {
                    "name_ar": c["name_ar"],
                    "name_en": c["name_en"],
                    "default_section": sections[c["section"]],
                    "sla_policy": policies[c["sla_policy"]],
                    "skill": skills.get(c["skill"]),
                    "default_priority": c["default_priority"],
                    "keywords_ar": "\n".join(c["keywords_ar"]),
                    "keywords_en": "\n".join(c["keywords_en"]),
                },
            )
        organisation.fallback_category = categories[demo_data.FALLBACK_CATEGORY]
        organisation.save(update_fields=["fallback_category"])
        partners = {p["code"]: _upsert(Partner, p["code"], dict(p)) for p in demo_data.PARTNERS}
        for reply in CANNED_REPLIES:
            _upsert(CannedReply, reply["code"], dict(reply))
        for h in demo_data.HOLIDAYS_2026:
            Holiday.objects.update_or_create(
                date=datetime.date.fromisoformat(h["date"]),
                defaults={"name_ar": h["name_ar"], "name_en": h["name_en"]},
            )
        demo_data.tourism_desk_load()
        role_groups_ensure()
        notification_templates_seed()
        for spec in DEMO_USERS:
            wanted_skills = spec.get("skills", [])
            staff_user_upsert(
                username=spec["username"],
                password=DEMO_PASSWORD,
                role=spec["role"],
                first_name=spec["first_name"],
                last_name=spec["last_name"],
                email=f"{spec['username']}@mm.gov.om.example",
                display_name=spec.get("display_name", spec["first_name"]),
                sections=(first_directorate_sections if spec.get("sections") else []),
                partner=partners[spec["partner"]] if spec.get("partner") else None,
                skills=(
                    list(skills.values())
                    if wanted_skills == "all"
                    else [skills[code] for code in wanted_skills]
                ),
                languages=spec.get("languages", ["ar", "en"]),
            )
        if apps.is_installed("bots"):
            # The assistant's demo articles and channel settings (the core does not import bots).
            call_command("assistant_seed", stdout=self.stdout)
        if settings.NIDAA_DEMO_HISTORY_DAYS:
            # A month of past work, so reports, charts and the wallboard have a picture.
            call_command("demo_history", days=settings.NIDAA_DEMO_HISTORY_DAYS, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo organisation ready: {len(demo_data.DIRECTORATES)} directorates, "
                f"{len(sections)} sections, {len(demo_data.CATEGORIES)} categories, "
                f"{len(partners)} partners, {len(DEMO_USERS)} demo users "
                f"(password {DEMO_PASSWORD!r})."
            )
        )


def _upsert(model: Any, code: str, values: dict[str, Any]) -> Any:
    values = {k: v for k, v in values.items() if k not in ("code", "sections")}
    obj, _created = model.objects.update_or_create(code=code, defaults=values)
    return obj
