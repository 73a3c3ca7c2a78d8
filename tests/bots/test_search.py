"""Knowledge-base search finds an article however its words are spelt."""

from __future__ import annotations

import pytest

from bots.models import KnowledgeArticle
from bots.search import article_search
from bots.services import knowledge_seed_load


@pytest.fixture
def articles(db: None) -> None:
    knowledge_seed_load()


def _best(query: str) -> str | None:
    matches = article_search(query)
    return matches[0].item.slug if matches else None


@pytest.mark.parametrize(
    "query",
    [
        "رخصة بناء",
        "رُخْصَةُ بِنَاءٍ",  # diacritics
        "رخصه بناء",  # taa marbuta typed as ha
        "رخـــصة بنـــاء",  # tatweel
        "الرخصة للبناء",  # article and preposition prefixes
    ],
)
def test_it_finds_the_building_permit_however_it_is_spelt(articles: None, query: str) -> None:
    assert _best(query) == "building-permit-application"


@pytest.mark.parametrize(
    "query",
    ["إجراءات شهادة إتمام البناء", "اجراءات شهادة اتمام البناء", "أجراءات شهاده أتمام البناء"],
)
def test_it_ignores_alef_and_hamza_forms(articles: None, query: str) -> None:
    assert _best(query) == "building-completion-certificate"


@pytest.mark.parametrize("query", ["تفتيش المبنى", "تفتيش المبني"])
def test_it_treats_alif_maqsura_and_ya_alike(articles: None, query: str) -> None:
    assert _best(query) == "building-completion-certificate"


@pytest.mark.parametrize("query", ["نقل أثاث قديم", "نقل اثاث قديم", "نقل آثاث قديم"])
def test_it_finds_the_bulky_waste_pick_up_with_any_alef(articles: None, query: str) -> None:
    assert _best(query) == "bulky-waste-pickup"


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("How do I renew my shop licence?", "commercial-licence-renewal"),
        ("renewing shop licences", "commercial-licence-renewal"),
        ("booking a pickup for old furniture", "bulky-waste-pickup"),
        ("paying parking fines", "parking-fines"),
        ("a wedding tent permit", "event-tent-permit"),
    ],
)
def test_it_understands_simple_english(articles: None, query: str, slug: str) -> None:
    assert _best(query) == slug


@pytest.mark.parametrize(
    ("query", "slug"),
    [
        ("What are the opening hours of Nakhal fort?", "tourism-visiting-forts"),
        ("entry fee for the castle", "tourism-visiting-forts"),
        ("How can I rate a hotel I stayed in?", "tourism-rate-an-establishment"),
        ("I have a suggestion to improve tourism", "tourism-suggestion"),
        ("مواعيد القلعة", "tourism-visiting-forts"),
    ],
)
def test_it_answers_visitors_of_the_tourism_desk_in_english_and_arabic(
    articles: None, query: str, slug: str
) -> None:
    assert _best(query) == slug


def test_it_finds_nothing_for_an_unrelated_question(articles: None) -> None:
    assert article_search("what is the weather tomorrow") == []
    assert article_search("كيف حالك") == []


def test_it_does_not_answer_with_an_unpublished_article(articles: None) -> None:
    KnowledgeArticle.objects.filter(slug="parking-fines").update(is_published=False)
    assert _best("paying parking fines") != "parking-fines"


def test_it_loads_the_seed_once_however_often_it_runs(articles: None) -> None:
    knowledge_seed_load()
    assert KnowledgeArticle.objects.count() == 17
