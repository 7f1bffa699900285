"""Confirm what cannot be undone (issue "A day at the counter"): every deletion and irreversible
action shows what it will do on a page of its own (GET, no JavaScript needed) and does it only
when that page's button posts; the screens link to that page rather than act in one click.
"""

import re
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from msap.desk.models import ServiceRequest
from msap.dossiers import services as dossiers
from msap.dossiers.models import DossierDocument
from msap.network.models import Closure, Equipment, MobileStop
from msap.partners.models import PartnershipStatus, Referent
from msap.people.models import Membership, Training
from tests import factories as f
from tests.conftest import login


@pytest.fixture
def things(one_house, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    house, agent = one_house.house, one_house.users.agent
    mobile = f.HouseFactory(kind="mobile", organisation=house.organisation)
    dossier = f.DossierFactory(house=house, consent_by=agent, last_name="Durand")
    return {
        "house": house,
        "mobile": mobile,
        "closure": f.ClosureFactory(house=house),
        "equipment": Equipment.objects.create(house=house, kind="scanner"),
        "stop": f.MobileStopFactory(house=mobile),
        "training": f.TrainingFactory(user=agent, house=house),
        "membership": Membership.objects.get(user=agent, house=house),
        "request": f.ServiceRequestFactory(house=house, agent=agent),
        "document": dossiers.add_document(
            agent, dossier, SimpleUploadedFile("avis.pdf", b"%PDF-1.4 avis")
        ),
        "dossier": dossier,
    }


def removal(role, url_name, path, model):
    """A deletion by `role` at `url_name` (its arguments: the things named in `path`, the last
    one being removed): done when that row is gone."""
    return (
        role,
        lambda t, w: reverse(url_name, args=[t[name].pk for name in path]),
        {},
        lambda t, w: not model.objects.filter(pk=t[path[-1]].pk).exists(),
    )


# name -> (who, url(things, world), GET query, "is it done?" check)
ACTIONS = {
    "request deletion": removal("agent", "desk_request_delete", ["request"], ServiceRequest),
    "closure deletion": removal("responsable", "closure_delete", ["house", "closure"], Closure),
    "equipment removal": removal(
        "responsable", "equipment_delete", ["house", "equipment"], Equipment
    ),
    "stop removal": removal("gestionnaire", "stop_delete", ["mobile", "stop"], MobileStop),
    "training removal": removal("responsable", "training_delete", ["house", "training"], Training),
    "document removal": removal(
        "agent", "document_delete", ["dossier", "document"], DossierDocument
    ),
    "a member's departure": (
        "responsable",
        lambda t, w: reverse("member_end", args=[t["house"].pk, t["membership"].pk]),
        {"ended_on": "2030-01-31"},
        lambda t, w: Membership.objects.get(pk=t["membership"].pk).ended_on is not None,
    ),
    "a referent's end of office": (
        "responsable",
        lambda t, w: reverse("referent_end", args=[t["house"].pk, w.caf_referent.pk]),
        {"ended_on": "2030-01-31"},
        lambda t, w: Referent.objects.get(pk=w.caf_referent.pk).ended_on is not None,
    ),
    "a partner's withdrawal": (
        "responsable",
        lambda t, w: reverse("partnership_withdraw", args=[t["house"].pk, w.ft.pk]),
        {"left_on": "2030-01-31"},
        lambda t, w: w.ft.__class__.objects.get(pk=w.ft.pk).status != PartnershipStatus.ACTIVE,
    ),
}


def posted_form(html: str, url: str) -> dict:
    """The confirmation page's form: it posts back to the action's URL, with its hidden fields."""
    form = re.search(rf'<form method="post" action="{re.escape(url)}">(.*?)</form>', html, re.S)
    assert form, "the confirmation page posts to the action"
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form.group(1)))
    fields.pop("csrfmiddlewaretoken", None)
    return {k: unescape(v) for k, v in fields.items()}


@pytest.mark.parametrize("name", ACTIONS)
def test_an_irreversible_action_asks_first_and_is_done_only_from_the_confirmation(
    client, world, things, name
):
    role, url_for, query, done = ACTIONS[name]
    login(client, getattr(world.users, role))
    url = url_for(things, world)
    page = client.get(url, query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cette action est définitive" in html and "Annuler, ne rien changer" in html
    assert not done(things, world), "a GET changes nothing"
    response = client.post(url, posted_form(html, url))
    assert response.status_code == 302
    assert done(things, world)


@pytest.mark.parametrize(
    ("url_name", "template_args"),
    [
        ("desk_day", ()),
        ("house_closures", ("house",)),
        ("house_premises", ("house",)),
        ("house_staff", ("house",)),
    ],
)
def test_screens_link_to_the_confirmation_instead_of_acting_in_one_click(
    client, one_house, things, url_name, template_args
):
    login(client, one_house.users.agent if url_name == "desk_day" else one_house.users.responsable)
    html = client.get(reverse(url_name, args=[things[a].pk for a in template_args])).content
    html = html.decode()
    # No form posts straight to a deletion or an end: they are links to the confirmation.
    assert not re.search(r'<form method="post" action="[^"]*/(supprimer|fin)/"', html)
    assert re.search(r'href="[^"]*/(supprimer|fin)/', html)
