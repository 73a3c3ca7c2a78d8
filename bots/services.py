"""Writes of the assistant that are not part of a conversation turn: demo content."""

from __future__ import annotations

from django.db import transaction

from bots.knowledge_seed import ARTICLES
from bots.models import ASSISTANT_CHANNELS, BotChannelSettings, KnowledgeArticle

DEFAULT_GREETING_AR = "أهلاً بك في بلدية مسقط (1111). أنا المساعد الآلي، وأستطيع مساعدتك الآن."
DEFAULT_GREETING_EN = (
    "Welcome to Muscat Municipality (1111). I am the virtual assistant and can help you now."
)
DEFAULT_CLOSED_AR = "الدردشة المباشرة مغلقة الآن؛ سيرد عليك أحد الموظفين عند بدء الدوام."
DEFAULT_CLOSED_EN = "Live chat is closed now; a staff member will answer when it opens."


@transaction.atomic
def knowledge_seed_load() -> int:
    """Bring the demo articles to their seed text (matched by slug); returns how many."""
    for article in ARTICLES:
        KnowledgeArticle.objects.update_or_create(
            slug=article["slug"],
            defaults={
                "title_ar": article["title_ar"],
                "title_en": article["title_en"],
                "body_ar": article["body_ar"],
                "body_en": article["body_en"],
                "keywords_ar": "\n".join(article["keywords_ar"]),
                "keywords_en": "\n".join(article["keywords_en"]),
            },
        )
    return len(ARTICLES)


@transaction.atomic
def channel_settings_ensure() -> None:
    """One settings row per assistant channel, on, with the default texts; edits are kept."""
    for channel in ASSISTANT_CHANNELS:
        BotChannelSettings.objects.get_or_create(
            channel=channel,
            defaults={
                "greeting_ar": DEFAULT_GREETING_AR,
                "greeting_en": DEFAULT_GREETING_EN,
                "closed_notice_ar": DEFAULT_CLOSED_AR,
                "closed_notice_en": DEFAULT_CLOSED_EN,
            },
        )
