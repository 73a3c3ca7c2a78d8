"""The core domain of Nidaa: organisation, people and work."""

from helpdesk.models.access import PartnerApiToken
from helpdesk.models.organisation import (
    Category,
    Directorate,
    Holiday,
    OrganisationSettings,
    Partner,
    Section,
    Skill,
    SLAPolicy,
)
from helpdesk.models.people import AgentProfile, Contact, ContactIdentity, Presence, Role
from helpdesk.models.work import (
    Attachment,
    Channel,
    Conversation,
    ConversationState,
    Message,
    Priority,
    SenderKind,
    Ticket,
    TicketCounter,
    TicketEvent,
    TicketEventKind,
    TicketStatus,
)

__all__ = [
    "AgentProfile",
    "Attachment",
    "Category",
    "Channel",
    "Contact",
    "ContactIdentity",
    "Conversation",
    "ConversationState",
    "Directorate",
    "Holiday",
    "Message",
    "OrganisationSettings",
    "Partner",
    "PartnerApiToken",
    "Presence",
    "Priority",
    "Role",
    "SLAPolicy",
    "Section",
    "SenderKind",
    "Skill",
    "Ticket",
    "TicketCounter",
    "TicketEvent",
    "TicketEventKind",
    "TicketStatus",
]
