"""Caching (issue 10, item 6): the public pages and the search are cached with Django's cache
framework — local memory by default, Redis through MSAP_CACHE_URL — and invalidated when a
house's data changes; an entry also ends when "open now" stops being true by the clock."""

import datetime as dt
import html
import re
import uuid
from unittest import mock

import pytest
import time_machine
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from msap.network import services as network
from msap.network.models import Closure
from tests import factories as f

pytestmark = pytest.mark.django_db
TUESDAY_10 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=dt.UTC)
REDIS = "redis://127.0.0.1:6379/15"


@pytest.fixture(params=["locmem", "redis"])
def backend(request, settings):
    if request.param == "redis":
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url(REDIS).ping()
        except redis.exceptions.ConnectionError:
            pytest.skip("no Redis on 127.0.0.1:6379")
        # A database number and a key prefix of its own: never another process's keys (nor a
        # FLUSHDB, which would empty a parallel test's cache: its keys are deleted by prefix).
        prefix = f"msap-test-{uuid.uuid4().hex}"
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": REDIS,
                "KEY_PREFIX": prefix,
            }
        }
        yield request.param
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
        return
    yield request.param


def queries(client, url) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return len(ctx.captured_queries), html.unescape(response.content.decode())


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_house_page_is_served_from_the_cache_until_its_data_changes(client, one_house, backend):
    """The second visit reads no house data; a closure added by the service shows at once."""
    house = one_house.house
    url = f"/maison/{house.slug}/"
    cold, _body = queries(client, url)
    warm, _again = queries(client, url)
    assert warm < cold and warm <= 2, (cold, warm)
    network.add_closure(
        one_house.users.responsable,
        house,
        start_date=dt.date(2026, 3, 10),
        end_date=dt.date(2026, 3, 10),
        reason="Inventaire annuel",
    )
    _count, after = queries(client, url)
    assert "Inventaire annuel" in after and "Fermé maintenant" in after


@time_machine.travel(TUESDAY_10, tick=False)
def test_the_search_is_cached_and_sees_a_new_house(client, one_house, backend):
    """The search's answer is cached; a house created afterwards is found at once."""
    url = "/trouver/?q=tulle"
    cold, _body = queries(client, url)
    warm, _again = queries(client, url)
    assert warm < cold, (cold, warm)
    f.HouseFactory(name="Maison toute neuve", commune=f.commune("19272"))
    assert "Maison toute neuve" in queries(client, url)[1]


def test_open_now_ends_with_the_opening_even_when_nothing_changes(client, one_house, backend):
    """A cached "open now" expires at the closing time: at 12:00 the page says closed."""
    url = f"/maison/{one_house.house.slug}/"
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 59, tzinfo=dt.UTC), tick=False):
        assert "Ouvert maintenant" in queries(client, url)[1]
    with time_machine.travel(dt.datetime(2026, 3, 10, 11, 1, tzinfo=dt.UTC), tick=False):
        assert "Fermé maintenant" in queries(client, url)[1]


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_direct_save_of_a_closure_invalidates_too(client, one_house, backend):
    """An import or the admin saves rows without a service: the model's signal invalidates."""
    url = f"/maison/{one_house.house.slug}/"
    queries(client, url)
    Closure.objects.create(
        house=one_house.house,
        start_date=dt.date(2026, 3, 10),
        end_date=dt.date(2026, 3, 10),
        reason="Travaux",
    )
    assert "Fermé (Travaux)" in queries(client, url)[1]


def test_a_page_served_from_the_cache_carries_each_visitor_s_own_csrf_token(one_house, backend):
    """The cached page is shared, the CSRF token is not: a second visitor's language switch
    from the cached page is accepted (its own token), never the first visitor's."""
    url = f"/maison/{one_house.house.slug}/"
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        body = client.get(url).content.decode()
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1))
    assert "placeholder" not in tokens[1]
    switched = second.post(
        "/langue/setlang/", {"language": "en", "next": url, "csrfmiddlewaretoken": tokens[1]}
    )
    assert switched.status_code == 302
    assert "Opening hours of the next seven days" in html.unescape(second.get(url).content.decode())


@time_machine.travel(TUESDAY_10, tick=False)
@pytest.mark.parametrize("path", ["/maison/{slug}/", "/trouver/?q=tulle"])
def test_a_cached_page_opens_no_session_and_sets_no_cookie_for_a_returning_visitor(
    client, one_house, backend, path
):
    """A visitor without an account is served the shared page without a query, a session or a
    Set-Cookie on each page (their CSRF cookie is kept), with the headers of the whole stack."""
    url = path.format(slug=one_house.house.slug)
    whole = client.get(url)  # rendered by the view: gives the visitor their CSRF cookie
    assert "csrftoken" in whole.cookies
    with CaptureQueriesContext(connection) as ctx:
        hit = client.get(url)
    assert hit.status_code == 200 and len(ctx.captured_queries) == 0
    assert not hit.cookies and "sessionid" not in client.cookies
    for header in ("Content-Language", "X-Frame-Options"):
        assert hit.headers[header] == whole.headers[header]
    assert {"Accept-Language", "Cookie"} <= {v.strip() for v in hit.headers["Vary"].split(",")}
    assert without_token(hit) == without_token(whole)


def without_token(response) -> str:
    return re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


@time_machine.travel(TUESDAY_10, tick=False)
def test_a_signed_in_agent_is_never_served_the_shared_page(client, one_house, backend):
    """The shared page is for visitors without an account: a signed-in agent gets their own
    layout (their logout button), and the visitors' page never shows it."""
    url = f"/maison/{one_house.house.slug}/"
    anonymous = Client()
    anonymous.get(url)
    client.force_login(one_house.users.agent)
    assert "Se déconnecter" in html.unescape(client.get(url).content.decode())
    assert "Se déconnecter" not in html.unescape(anonymous.get(url).content.decode())


@time_machine.travel(TUESDAY_10, tick=False)
@pytest.mark.parametrize("path", ["/maison/{slug}/", "/trouver/?q=tulle"])
def test_a_page_served_from_the_cache_costs_one_cache_round_trip(client, one_house, backend, path):
    """Under load each cache read is a round trip to Redis: a warm page (the house's page seen
    once by this process, or a search) is served with one read, its version with it."""
    url = path.format(slug=one_house.house.slug)
    client.get(url)
    client.get(url)
    store, calls = caches["default"], []
    real = {name: getattr(store, name) for name in ("get", "get_many")}

    def counted(name):
        def call(*args, **kwargs):
            calls.append(name)
            with mock.patch.multiple(store, **real):  # a backend's get_many calls its get
                return real[name](*args, **kwargs)

        return call

    with mock.patch.multiple(store, **{name: counted(name) for name in real}):
        assert client.get(url).status_code == 200
    assert len(calls) == 1, calls
