"""Two sends of the same code at the same instant (a double tap, a replayed request) make one
answer (commitment 15: one answer per visit): the code is claimed by a conditional UPDATE in the
answer's transaction, and the loser reads the French "already used" message."""

import pytest
from django.db import connection

from msap.surveys import services
from msap.surveys.models import Answer, Token
from tests import factories as f
from tests.concurrency import run_at_once

CLIENTS = 6


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="true concurrency needs PostgreSQL (SQLite serialises writers)",
)
@pytest.mark.django_db(transaction=True)
def test_the_same_code_sent_at_once_makes_one_answer(reference_data_reloaded, one_house):
    campaign = f.survey_campaign(one_house.house)
    (token,) = services.issue_tokens(None, campaign, 1)

    def client(n):
        return services.submit_answer(
            token.code, {**f.SURVEY_ANSWER, "overall": n}, client=f"192.0.2.{n}"
        )

    won, refused, errors = run_at_once(client, [(n,) for n in range(CLIENTS)])

    assert errors == []
    assert len(won) == 1 and len(refused) == CLIENTS - 1
    assert all("déjà servi" in message for message in refused)
    assert Answer.objects.count() == 1
    assert Token.objects.get().used_at is not None
