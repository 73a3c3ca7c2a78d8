"""Category suggestions: the keyword cold start, the learned model, confidence and ties."""

from __future__ import annotations

import pytest

from helpdesk.classify import Suggestion, category_suggestions, clear_leader
from helpdesk.learned import CategoryModel, Example
from helpdesk.models import Category, ClassifierModel
from tests.support.factories import Org

pytestmark = pytest.mark.django_db


def _serve(model: CategoryModel) -> ClassifierModel:
    ClassifierModel.objects.filter(is_active=True).update(is_active=False)
    return ClassifierModel.objects.create(artefact=model.dumps(), is_active=True, accepted=True)


def _model_for(org: Org) -> CategoryModel:
    examples = [
        Example("a deep pothole in the road", "pothole"),
        Example("the asphalt is broken and full of holes", "pothole"),
        Example("حفرة كبيرة في الشارع", "pothole"),
        Example("the street light is off all night", "streetlight"),
        Example("the lamp post does not work and the road is dark", "streetlight"),
        Example("عمود الانارة طافي", "streetlight"),
        Example("nobody collected the garbage for a week", "garbage"),
        Example("rubbish bags piling up outside", "garbage"),
        Example("الزبالة ما انشالت", "garbage"),
        Example("water leaking from a pipe in the street", "water"),
        Example("no water in the house since morning", "water"),
        Example("الماي مقطوع", "water"),
    ]
    keywords = {c.code: c.keyword_list() for c in Category.objects.all()}
    return CategoryModel().fit(examples, keywords=keywords)


# ---- the keyword cold start (no model trained yet) ------------------------------------


def test_it_suggests_the_category_whose_keywords_match_before_any_model(org: Org) -> None:
    suggestions = category_suggestions("في حفرة كبيرة في الشارع")
    assert suggestions[0].item == org.pothole


def test_it_matches_keywords_across_spelling_variants(org: Org) -> None:
    assert category_suggestions("الزبالـــة متراكمة")[0].item == org.garbage
    assert category_suggestions("عمود الأنارة طافي")[0].item == org.streetlight


def test_it_ranks_a_whole_phrase_above_a_lone_word(org: Org) -> None:
    whole = category_suggestions("the street light is broken")[0]
    part = category_suggestions("the street is broken")[0]
    assert whole.item == part.item == org.streetlight
    assert whole.keyword_score > part.keyword_score


def test_it_forgives_a_one_letter_typo(org: Org) -> None:
    assert category_suggestions("the potholle is huge")[0].item == org.pothole


def test_it_forgives_two_swapped_letters(org: Org) -> None:
    assert category_suggestions("the potohle is huge")[0].item == org.pothole


def test_it_suggests_nothing_for_unrelated_text(org: Org) -> None:
    assert category_suggestions("good morning, thank you") == []


def test_it_states_no_confidence_for_keyword_suggestions(org: Org) -> None:
    (suggestion,) = category_suggestions("pothole")
    assert suggestion.probability is None
    assert not suggestion.confident


# ---- ties -----------------------------------------------------------------------------


def test_it_names_no_leader_when_the_first_two_tie(org: Org) -> None:
    tied = category_suggestions("pothole garbage")
    assert tied[0].keyword_score == tied[1].keyword_score
    assert clear_leader(tied) is None


def test_it_names_the_first_when_it_is_strictly_ahead(org: Org) -> None:
    ahead = [Suggestion(org.pothole, 0.7, False), Suggestion(org.garbage, 0.2, False)]
    assert clear_leader(ahead) == ahead[0]


# ---- the learned model ----------------------------------------------------------------


def test_it_gives_calibrated_probabilities_that_sum_to_at_most_one(org: Org) -> None:
    _serve(_model_for(org))
    suggestions = category_suggestions("there is a big pothole on our road")
    assert suggestions[0].item == org.pothole
    assert all(s.probability is not None for s in suggestions)
    assert sum(s.probability or 0 for s in suggestions) <= 1.0 + 1e-6
    assert [s.probability for s in suggestions] == sorted(
        [s.probability for s in suggestions], reverse=True
    )


def test_it_is_confident_only_at_or_above_the_threshold(org: Org, settings: object) -> None:
    _serve(_model_for(org))
    text = "something is wrong in the street near the garbage"
    top = category_suggestions(text)[0]
    assert top.probability is not None
    assert top.probability < 0.99
    settings.NIDAA_CLASSIFIER_CONFIDENCE = top.probability  # type: ignore[attr-defined]
    assert category_suggestions(text)[0].confident
    settings.NIDAA_CLASSIFIER_CONFIDENCE = top.probability + 0.001  # type: ignore[attr-defined]
    assert not category_suggestions(text)[0].confident


def test_it_reads_arabizi_with_the_model(org: Org) -> None:
    _serve(_model_for(org))
    assert category_suggestions("fi 7ofra kbeera fi el share3")[0].item == org.pothole


def test_it_offers_a_category_newer_than_the_model_by_its_keywords(org: Org) -> None:
    _serve(_model_for(org))
    parking = Category.objects.create(
        code="parking",
        name_ar="مواقف",
        name_en="Parking",
        default_section=org.potholes,
        sla_policy=org.sla,
        keywords_ar="مواقف",
        keywords_en="double parking",
    )
    suggestions = category_suggestions("double parking blocks our street every morning")
    assert parking in [s.item for s in suggestions]
    newer = next(s for s in suggestions if s.item == parking)
    assert newer.probability is None
    assert not newer.confident


def test_it_leaves_out_a_category_made_inactive_after_training(org: Org) -> None:
    _serve(_model_for(org))
    Category.objects.filter(pk=org.pothole.pk).update(is_active=False)
    suggestions = category_suggestions("there is a big pothole on our road")
    assert org.pothole not in [s.item for s in suggestions]


def test_it_falls_back_to_keywords_when_the_serving_model_is_of_older_features(
    org: Org,
) -> None:
    row = _serve(_model_for(org))
    ClassifierModel.objects.filter(pk=row.pk).update(features_version=0)
    (suggestion,) = category_suggestions("pothole")
    assert suggestion.probability is None
