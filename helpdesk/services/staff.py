"""Staff accounts: a Django user, a profile with the role, and the role's group."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser, Group, Permission
from django.db import transaction
from django.db.models import Q

from helpdesk.models import AgentProfile, Partner, Role, Section, Skill
from helpdesk.roles import ADMINISTRATOR_MODELS, ROLE_PERMISSIONS, group_name


def role_groups_ensure() -> dict[str, Group]:
    """Create (or bring up to date) one group per role with its permissions."""
    groups = {}
    for role, codenames in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=group_name(role))
        permissions = Q(content_type__app_label="helpdesk", codename__in=codenames)
        if role == Role.ADMINISTRATOR:
            for label, actions in ADMINISTRATOR_MODELS.items():
                app_label, model = label.split(".")
                permissions |= Q(
                    content_type__app_label=app_label,
                    content_type__model=model,
                    codename__in=[f"{action}_{model}" for action in actions],
                )
        group.permissions.set(Permission.objects.filter(permissions))
        groups[str(role)] = group
    return groups


@transaction.atomic
def staff_user_upsert(
    *,
    username: str,
    password: str | None,
    role: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    display_name: str = "",
    sections: Iterable[Section] = (),
    partner: Partner | None = None,
    skills: Iterable[Skill] = (),
    languages: Iterable[str] = ("ar", "en"),
    max_concurrent: int = 3,
) -> AbstractUser:
    """Create or update a staff user so that it has exactly the given role."""
    if role not in Role.values:
        raise ValueError(f"unknown role {role!r}")
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    user.is_staff = role == Role.ADMINISTRATOR
    if password is not None and (created or not user.check_password(password)):
        user.set_password(password)
    user.save()
    profile, _created = AgentProfile.objects.update_or_create(
        user=user,
        defaults={
            "role": role,
            "display_name": display_name,
            "partner": partner,
            "languages": list(languages),
            "max_concurrent": max_concurrent,
        },
    )
    profile.sections.set(list(sections))
    profile.skills.set(list(skills))
    staff_role_sync(user=user, role=role)
    return user


def staff_role_sync(*, user: AbstractUser, role: str) -> None:
    """The user is in exactly their role's group; only administrators enter the admin."""
    groups = role_groups_ensure()
    user.groups.remove(*[g for name, g in groups.items() if name != role])
    user.groups.add(groups[role])
    if not user.is_superuser and user.is_staff != (role == Role.ADMINISTRATOR):
        user.is_staff = role == Role.ADMINISTRATOR
        user.save(update_fields=["is_staff"])
