"""Roles, their Django groups and permissions, and who an actor is."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from helpdesk.errors import NotInScope
from helpdesk.models.people import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

SYSTEM_ROLE = "system"

# Permission codenames (app label "helpdesk") each role's group holds.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.AGENT: ("register_ticket", "serve_conversations"),
    Role.DISPATCHER: ("register_ticket", "dispatch_ticket"),
    Role.SECTION_STAFF: ("work_section_ticket",),
    Role.SUPERVISOR: (
        "register_ticket",
        "dispatch_ticket",
        "work_section_ticket",
        "supervise",
        "serve_conversations",
    ),
    Role.ADMINISTRATOR: ("supervise",),
    Role.PARTNER: ("work_partner_ticket",),
    Role.TOURISM_OFFICIAL: (),
}


ALL = ("view", "add", "change", "delete")
# What the administrator manages in the Django admin ("app_label.model": actions), on
# top of its role permissions. Contacts, conversations and tickets are not here:
# the administrator runs the center's setup, not its casework.
ADMINISTRATOR_MODELS: dict[str, tuple[str, ...]] = {
    "helpdesk.organisationsettings": ("view", "change"),
    "helpdesk.directorate": ALL,
    "helpdesk.section": ALL,
    "helpdesk.category": ALL,
    "helpdesk.partner": ALL,
    "helpdesk.slapolicy": ALL,
    "helpdesk.slatarget": ALL,
    "helpdesk.skill": ALL,
    "helpdesk.holiday": ALL,
    "helpdesk.cannedreply": ALL,
    "helpdesk.agentprofile": ALL,
    "helpdesk.partnerapitoken": ("view", "change"),
    "helpdesk.classifierexample": ("view", "change", "delete"),
    "helpdesk.classifiermodel": ("view", "change"),
    "helpdesk.notificationtemplate": ALL,
    "helpdesk.notification": ("view", "change"),
    "helpdesk.slaalert": ("view",),
    # The tourism desk's establishments, and the topic of suggestions.
    "helpdesk.establishment": ("view", "add", "change"),
    "helpdesk.establishmentrating": ("view",),
    "helpdesk.suggestion": ("view", "change"),
    # Apps' Open311 keys (revoked here), and how long each class of data is kept.
    "helpdesk.open311apikey": ("view", "change"),
    "helpdesk.retentionperiod": ("view", "change"),
    "auth.user": ALL,
    "social.xaccount": ALL,
    "social.facebookpage": ALL,
    "social.inboxdelivery": ("view",),
    "bots.knowledgearticle": ALL,
    "bots.botchannelsettings": ALL,
}


def group_name(role: str) -> str:
    return f"nidaa:{role}"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a staff user with a role, or the system (bot, portal, scheduler)."""

    user: Any
    role: str

    @property
    def user_id(self) -> int | None:
        return None if self.user is None else int(self.user.pk)

    @property
    def is_system(self) -> bool:
        return self.role == SYSTEM_ROLE


SYSTEM = Actor(user=None, role=SYSTEM_ROLE)


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> str | None:
    if user is None or not user.is_authenticated:
        return None
    profile = getattr(user, "profile", None)
    if profile is not None:
        return str(profile.role)
    if getattr(user, "is_superuser", False):
        return Role.ADMINISTRATOR
    return None


def actor_for(user: Any) -> Actor:
    role = role_of(user)
    if role is None:
        raise NotInScope(_("This account has no role in the contact center."))
    return Actor(user=user, role=role)
