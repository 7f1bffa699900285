"""Done when (issue 10): a crawl of every public URL of the demo — from /sitemap.xml and the
links of each page — finds no referent email or phone, no staff email and no personal data of
a person anywhere (annex 2: referents' contacts are never given to the public; SPEC
confidentiality)."""

import re
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command

from msap.appointments.models import Adviser, Appointment
from msap.dossiers.models import Dossier
from msap.partners.models import Referent
from msap.people.models import User
from msap.registers.models import RegisterItem

pytestmark = pytest.mark.django_db
PUBLIC_PREFIXES = (
    "/maison/",
    "/trouver/",
    "/accessibilite/",
    "/mentions-legales/",
    "/donnees-personnelles/",
    "/plan-du-site/",
)


def _secrets() -> set[str]:
    found = set()
    for r in Referent.objects.all():
        found |= {r.email, r.phone, r.postal_address, f"{r.first_name} {r.last_name}"}
    found |= set(User.objects.values_list("email", flat=True))
    for a in Adviser.objects.all():
        found.add(f"{a.first_name} {a.last_name}")
    for a in Appointment.objects.all():
        found |= {a.person_name, a.person_email, a.person_phone}
    for item in RegisterItem.objects.all():
        found |= {item.sender_name, item.sender_email, item.sender_phone, item.sender_address}
    for d in Dossier.objects.all():
        found |= {f"{d.first_name} {d.last_name}", getattr(d, "email", ""), getattr(d, "phone", "")}
    return {s for s in found if s and len(s.strip()) > 4}


def test_no_public_page_of_the_demo_shows_a_referent_staff_or_person(client):
    call_command("demo", verbosity=0)
    secrets = _secrets()
    assert secrets, "the demo must have referents, staff and people to look for"
    sitemap = client.get("/sitemap.xml").content.decode()
    todo = ["/", *(urlparse(loc).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap))]
    seen: set[str] = set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        leaks = [s for s in secrets if s in body]
        assert not leaks, f"{path} shows {leaks}"
        for href in re.findall(r'href="([^"#]+)', body):
            target = urlparse(urljoin(path, href.replace("&amp;", "&")))
            if not target.netloc and target.path.startswith(PUBLIC_PREFIXES):
                todo.append(target.path + (f"?{target.query}" if target.query else ""))
    houses = [p for p in seen if p.startswith("/maison/") and p.count("/") == 3]
    assert len(houses) >= 2, "the demo's houses have public pages"
    assert any("/ecrire/reclamation/" in p for p in seen)
