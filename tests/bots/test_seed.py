from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from bots.models import BotChannelSettings, KnowledgeArticle


@pytest.mark.django_db
def test_it_seeds_the_knowledge_base_and_channels_from_demo_setup() -> None:
    call_command("demo_setup", stdout=io.StringIO())
    BotChannelSettings.objects.filter(channel="x").update(greeting_en="Edited by the admin")
    call_command("demo_setup", stdout=io.StringIO())
    assert KnowledgeArticle.objects.count() == 17
    assert KnowledgeArticle.objects.get(slug="parking-fines").title_ar.startswith("الاستعلام")
    assert set(BotChannelSettings.objects.values_list("channel", flat=True)) == {
        "webchat",
        "x",
        "facebook",
    }
    assert BotChannelSettings.objects.get(channel="x").greeting_en == "Edited by the admin"
