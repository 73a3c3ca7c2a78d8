"""The privacy notice: a public page in both languages, linked from the portal form."""

from __future__ import annotations

import pytest
from django.test import Client

from helpdesk.models import DataClass, RetentionPeriod


@pytest.mark.django_db
def test_the_notice_is_public_in_arabic_and_in_english() -> None:
    RetentionPeriod.objects.update_or_create(
        data_class=DataClass.ATTACHMENTS, defaults={"days": 123}
    )
    arabic = Client().get("/privacy/", {"lang": "ar"}).content.decode()
    english = Client().get("/privacy/", {"lang": "en"}).content.decode()
    assert "إشعار الخصوصية" in arabic and 'dir="rtl"' in arabic
    assert "Privacy notice" in english and 'dir="ltr"' in english
    for page in (arabic, english):
        assert "6/2022" in page and "<td>123</td>" in page


@pytest.mark.django_db
def test_the_portal_form_says_what_is_kept_and_links_the_notice(org: object) -> None:
    page = Client(headers={"accept-language": "en"}).get("/report/").content.decode()
    assert "We keep your report, your name and number" in page
    assert 'href="/privacy/"' in page
