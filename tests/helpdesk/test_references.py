from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from helpdesk.models import Ticket
from tests.support.factories import Org, make_ticket


@pytest.mark.django_db
def test_it_numbers_tickets_by_year_with_the_prefix(org: Org) -> None:
    first, second = make_ticket(org), make_ticket(org)
    assert re.fullmatch(r"MCT-\d{4}-000001", first.reference)
    assert second.reference.endswith("-000002")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_it_keeps_references_unique_when_50_tickets_register_at_once(org: Org) -> None:
    barrier = threading.Barrier(50)
    errors: list[BaseException] = []

    def register() -> None:
        try:
            barrier.wait()
            make_ticket(org)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=register) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = list(Ticket.objects.values_list("reference", flat=True))
    assert len(references) == 50
    assert len(set(references)) == 50
