"""The agent's day and the house's board: figures that match the data, for those who may see them."""

import re
from datetime import date, datetime, timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from msap.desk import rules
from msap.desk.models import ServiceRequest
from tests import factories as f
from tests.desk import PARIS


def text(response) -> str:
    return unescape(response.content.decode())


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2025, month, day, hour, minute, tzinfo=PARIS)


def row(html: str, label: str) -> list[str]:
    """The cells of the table row headed `label` (first match)."""
    match = re.search(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', html, re.S)
    assert match, f"no row {label!r}"
    return re.findall(r"<td>(.*?)</td>", match.group(1))


def board(client, user, house, **params):
    client.force_login(user)
    return client.get(reverse("desk_board", args=[house.pk]), params)


@pytest.fixture
def week(world):
    """The week of Monday 10 March 2025 in Tulle, the week before, and noise around them."""
    house, agent = world.house, world.users.agent
    for hour in (9, 10, 11):
        f.ServiceRequestFactory(
            house=house, agent=agent, occurred_at=at(10, hour), duration_minutes=20
        )
    f.ServiceRequestFactory(
        house=house,
        agent=agent,
        occurred_at=at(10, 14),
        group_size=3,
        first_visit=True,
        need_language=True,
        duration_minutes=45,
    )
    f.ServiceRequestFactory(
        house=house,
        agent=world.users.responsable,
        occurred_at=at(12),
        partner="france-travail",
        category="B3",
    )
    f.ServiceRequestFactory(
        house=house,
        agent=agent,
        occurred_at=at(12, 15),
        partner="france-travail",
        category="C",
        outcome="complex",
        autonomy="done_for",
    )
    # Sunday 23:30 in Paris is still this week; Monday 00:30 in Paris (Sunday 23:30 UTC) is not.
    f.ServiceRequestFactory(
        house=house,
        agent=agent,
        occurred_at=at(16, 23, 30),
        partner="cpam",
        category="B2",
        channel="phone",
    )
    f.ServiceRequestFactory(
        house=house, agent=agent, occurred_at=at(17, 0, 30), partner="cpam", category="B2"
    )
    f.ServiceRequestFactory(
        house=house, agent=agent, occurred_at=at(5), duration_minutes=30
    )  # the week before
    f.ServiceRequestFactory(
        house=house, agent=agent, occurred_at=at(4), partner=None, category="A"
    )  # the week before
    for hour in range(8, 13):  # another house's activity
        f.ServiceRequestFactory(
            house=world.other, agent=world.users.other_agent, occurred_at=at(11, hour)
        )
    return house


# --- the house's board ------------------------------------------------------------------------------


def test_board_totals_match_the_week_and_compare_with_the_previous_week(client, world, week):
    html = text(board(client, world.users.agent, week, periode="semaine", date="2025-03-12"))
    assert "semaine du 10 mars au 16 mars 2025" in html
    assert row(html, "Demandes") == ["7", "2", "+5"]
    assert row(html, "Personnes reçues") == ["9", "2", "+7"]
    assert row(html, "Temps passé") == ["2 h 15", "0 h 40", "+1 h 35"]
    assert row(html, "Situations complexes portées au référent") == ["1", "0", "+1"]
    assert row(html, "Premières venues") == ["1", "0", "+1"]
    assert row(html, "Ne maîtrise pas la langue française") == ["1", "0", "+1"]


def test_board_breakdowns_have_both_periods_in_their_tables(client, world, week):
    html = text(board(client, world.users.responsable, week, date="2025-03-12"))
    assert row(html, "CAF") == ["4", "1"]
    assert row(html, "France Travail") == ["2", "0"]
    assert row(html, "CPAM") == ["1", "0"]
    assert row(html, "Sans partenaire") == ["0", "1"]
    assert row(html, "Téléphone") == ["1", "0"]
    assert row(html, "Situation complexe portée au référent") == ["1", "0"]
    assert row(html, "Fait pour l'usager") == ["1", "0"]
    for title in (
        "Par partenaire",
        "Par catégorie de service (annexe 1)",
        "Par canal",
        "Par suite donnée",
        "Par autonomie numérique",
        "Demandes par jour",
    ):
        assert f"<caption>{title}</caption>" in html
    assert html.count('role="img"') >= 6


def test_board_links_to_the_previous_and_next_periods(client, world, week):
    html = text(board(client, world.users.agent, week, periode="semaine", date="2025-03-12"))
    assert "?periode=semaine&date=2025-03-03" in html
    assert "?periode=semaine&date=2025-03-17" in html
    previous = text(board(client, world.users.agent, week, periode="semaine", date="2025-03-03"))
    assert row(previous, "Demandes")[0] == "2"


def test_board_month_and_year(client, world, week):
    month = text(board(client, world.users.agent, week, periode="mois", date="2025-03-20"))
    assert "mars 2025" in month and "février 2025" in month
    assert row(month, "Demandes") == ["10", "0", "+10"]
    year = text(board(client, world.users.agent, week, periode="annee", date="2025-03-20"))
    assert "Demandes par mois" in year
    assert row(year, "Demandes") == ["10", "0", "+10"]


def test_board_explains_a_bad_period_or_date_in_french(client, world, week):
    html = text(board(client, world.users.agent, week, periode="decennie", date="2025-02-30"))
    assert "Période inconnue : la semaine est affichée." in html
    assert "Date invalide (format attendu AAAA-MM-JJ) : la période en cours est affichée." in html


def test_a_referent_sees_only_its_own_partner_s_figures(client, world, week):
    html = text(board(client, world.users.referent_caf, week, date="2025-03-12"))
    assert row(html, "Demandes") == ["4", "1", "+3"]
    assert "France Travail" not in re.sub(r"<nav.*?</nav>", "", html, flags=re.S)
    assert "Seules les demandes qui concernent votre organisation sont comptées ici." in html


@pytest.mark.parametrize(
    "role", ["agent", "responsable", "gestionnaire", "prefecture", "national", "admin"]
)
def test_house_staff_and_overseers_see_the_whole_board(client, world, week, role):
    response = board(client, getattr(world.users, role), week, date="2025-03-12")
    assert response.status_code == 200
    assert row(text(response), "Demandes")[0] == "7"


@pytest.mark.parametrize("role", ["other_agent", "referent_msa", "norole"])
def test_people_outside_the_house_get_404(client, world, week, role):
    assert board(client, getattr(world.users, role), week).status_code == 404


def test_anonymous_visitors_are_sent_to_login(client, world, week):
    response = client.get(reverse("desk_board", args=[week.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_board_query_count_does_not_grow_with_the_data(client, world, week):
    client.force_login(world.users.agent)
    url = reverse("desk_board", args=[week.pk]) + "?periode=mois&date=2025-03-12"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for day in range(1, 28):
        f.ServiceRequestFactory(
            house=week,
            agent=world.users.agent,
            occurred_at=at(day, 16),
            partner="msa",
            category="B2",
        )
        f.ServiceRequestFactory(
            house=week, agent=world.users.agent, occurred_at=at(day, 16, month=2), partner="dgfip"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(many) <= 25


# --- the agent's day ----------------------------------------------------------------------------------------


NOW = datetime(2025, 3, 12, 16, 0, tzinfo=PARIS)


@pytest.fixture
def today(one_house):
    house, agent = one_house.house, one_house.users.agent
    f.ServiceRequestFactory(
        house=house,
        agent=agent,
        occurred_at=NOW - timedelta(hours=6),
        procedure=None,
        duration_minutes=15,
    )
    f.ServiceRequestFactory(
        house=house,
        agent=agent,
        occurred_at=NOW - timedelta(hours=2),
        partner="france-travail",
        category="B3",
    )
    f.ServiceRequestFactory(
        house=house,
        agent=agent,
        occurred_at=NOW - timedelta(hours=1),
        category="B2",
        outcome="transmitted",
    )
    f.ServiceRequestFactory(
        house=house, agent=agent, occurred_at=NOW - timedelta(days=1)
    )  # yesterday
    f.ServiceRequestFactory(
        house=house,
        agent=one_house.users.responsable,
        occurred_at=NOW - timedelta(hours=1),
        partner="msa",
    )  # a colleague's
    return house


def day_page(client, user):
    client.force_login(user)
    return client.get(reverse("desk_day"))


def test_the_day_lists_today_s_own_requests_with_running_counts(client, world, today):
    with time_machine.travel(NOW, tick=False):
        html = text(day_page(client, world.users.agent))
    assert html.count("/modifier/") == 3
    assert "MSA" not in re.sub(r"<(select|nav).*?</\1>", "", html, flags=re.S)
    assert "Dossier transmis" in html
    assert "mercredi 12 mars 2025" in html
    by_category = re.search(r'id="counts-by-category">(.*?)</table>', html, re.S).group(1)
    assert (
        row(by_category, "B1") == ["1"]
        and row(by_category, "B2") == ["1"]
        and row(by_category, "B3") == ["1"]
    )
    by_partner = re.search(r'id="counts-by-partner">(.*?)</table>', html, re.S).group(1)
    assert row(by_partner, "CAF") == ["2"] and row(by_partner, "France Travail") == ["1"]


def test_the_day_offers_edit_links_only_within_the_window(client, world, today, settings):
    settings.MSAP_REQUEST_EDIT_WINDOW_HOURS = 1
    for obj in ServiceRequest.objects.all():  # recorded when they happened
        ServiceRequest.objects.filter(pk=obj.pk).update(created_at=obj.occurred_at)
    with time_machine.travel(NOW, tick=False):
        html = text(day_page(client, world.users.agent))
    assert (
        html.count("/modifier/") == 1
    )  # the request of an hour ago; not those of 2 and 6 hours ago
    assert "dans l'heure qui suit son enregistrement" in html


def test_the_day_query_count_does_not_grow_with_the_rows(client, one_house, today):
    with time_machine.travel(NOW, tick=False):
        client.force_login(one_house.users.agent)
        client.get(reverse("desk_day"))
        with CaptureQueriesContext(connection) as few:
            client.get(reverse("desk_day"))
        for minute in range(20):
            f.ServiceRequestFactory(
                house=today,
                agent=one_house.users.agent,
                occurred_at=NOW - timedelta(minutes=minute),
                partner="cpam",
            )
        with CaptureQueriesContext(connection) as many:
            client.get(reverse("desk_day"))
    assert len(many) == len(few) <= 10


@pytest.mark.parametrize("role", ["referent_caf", "prefecture", "national", "norole"])
def test_people_who_record_nowhere_have_no_day(client, world, role):
    assert day_page(client, getattr(world.users, role)).status_code == 403


# --- the comparison rule (issue 15: 1 December against all of November read "−455") -------------


def compare(kind, start, end, today):
    span = rules.compared_span(kind, *map(date.fromisoformat, (start, end, today)))
    return (
        (span.start.isoformat(), span.end.isoformat()),
        (span.previous_start.isoformat(), span.previous_end.isoformat()),
        span.in_progress,
    )


@pytest.mark.parametrize(
    "kind, start, end, today, previous",
    [
        (rules.MONTH, "2026-12-01", "2026-12-31", "2026-12-10", ("2026-11-01", "2026-11-10")),
        # Wednesday 12 March 2025: Monday–Wednesday against Monday–Wednesday.
        (rules.WEEK, "2025-03-10", "2025-03-16", "2025-03-12", ("2025-03-03", "2025-03-05")),
        (rules.YEAR, "2026-01-01", "2026-12-31", "2026-12-01", ("2025-01-01", "2025-12-01")),
        # 30 March: February 2025 has 28 days, the leap February 2024 has 29.
        (rules.MONTH, "2025-03-01", "2025-03-31", "2025-03-30", ("2025-02-01", "2025-02-28")),
        (rules.MONTH, "2024-03-01", "2024-03-31", "2024-03-30", ("2024-02-01", "2024-02-29")),
        # 28 February 2024, a leap February in progress: against 1–28 January...
        (rules.MONTH, "2024-02-01", "2024-02-29", "2024-02-28", ("2024-01-01", "2024-01-28")),
        # ...and the year to 29 February 2024 against the year to 28 February 2023.
        (rules.YEAR, "2024-01-01", "2024-12-31", "2024-02-29", ("2023-01-01", "2023-02-28")),
        # Periods that are over, or end today: against the whole previous period.
        (rules.WEEK, "2025-03-03", "2025-03-09", "2026-12-01", ("2025-02-24", "2025-03-02")),
        (rules.MONTH, "2025-03-01", "2025-03-31", "2026-12-01", ("2025-02-01", "2025-02-28")),
        (rules.MONTH, "2024-03-01", "2024-03-31", "2026-12-01", ("2024-02-01", "2024-02-29")),
        (rules.YEAR, "2025-01-01", "2025-12-31", "2026-12-01", ("2024-01-01", "2024-12-31")),
        # 31 March 2024, the day itself: all of March against all of a leap February.
        (rules.MONTH, "2024-03-01", "2024-03-31", "2024-03-31", ("2024-02-01", "2024-02-29")),
        # 31 May, the day itself: against April's 30 days.
        (rules.MONTH, "2025-05-01", "2025-05-31", "2025-05-31", ("2025-04-01", "2025-04-30")),
    ],
)
def test_a_period_compares_with_the_same_elapsed_part_of_the_previous_one(
    kind, start, end, today, previous
):
    """Issue 15: a period in progress (week, month, year) is compared with the same elapsed
    part of the previous one, a day past the previous month's end clamped to its last day; a
    period that is over, or ends today, with the whole previous one."""
    in_progress = today < end
    shown = (start, today if in_progress else end)
    assert compare(kind, start, end, today) == (shown, previous, in_progress)


def test_the_board_compares_a_month_in_progress_with_the_same_days_and_says_so(client, world):
    house, agent = world.house, world.users.agent
    f.ServiceRequestFactory(
        house=house, agent=agent, occurred_at=datetime(2026, 12, 1, 9, tzinfo=PARIS)
    )
    f.ServiceRequestFactory(
        house=house, agent=agent, occurred_at=datetime(2026, 11, 1, 9, tzinfo=PARIS)
    )
    for day in range(2, 31):  # the rest of November is not compared with 1 December
        f.ServiceRequestFactory(
            house=house, agent=agent, occurred_at=datetime(2026, 11, day, 9, tzinfo=PARIS)
        )
    with time_machine.travel(datetime(2026, 12, 1, 15, tzinfo=PARIS), tick=False):
        html = text(board(client, agent, house, periode="mois"))
    assert row(html, "Demandes") == ["1", "1", "="]
    assert "comparés au 1er novembre 2026" in html
    assert "la même part écoulée de la période précédente (novembre 2026)" in html
    with time_machine.travel(datetime(2026, 12, 10, 15, tzinfo=PARIS), tick=False):
        html = text(board(client, agent, house, periode="mois"))
    assert row(html, "Demandes") == ["1", "10", "−9"]
    assert "Chiffres clés : 1er–10 décembre 2026, comparés au 1er–10 novembre 2026" in html
    full = text(board(client, agent, house, periode="mois", date="2026-11-15"))
    assert row(full, "Demandes") == ["30", "0", "+30"]
    assert "Période complète : comparée à la période précédente entière (octobre 2026)." in full


def test_the_board_s_week_month_and_year_pages_have_distinct_titles(client, world):
    titles = {
        kind: re.search(
            r"<title>(.*?)</title>",
            text(board(client, world.users.agent, world.house, periode=kind, date="2025-03-12")),
            re.S,
        ).group(1)
        for kind in ("semaine", "mois", "annee")
    }
    assert "semaine du 10 mars au 16 mars 2025" in titles["semaine"]
    assert "mars 2025" in titles["mois"] and "2025" in titles["annee"]
    assert len(set(titles.values())) == 3
