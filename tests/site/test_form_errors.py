"""One error pattern for every form (RGAA 11.10, 11.11): a refused form reloads with a title that
says "Erreur", an error summary that can take the focus (msap.js moves it there) and links every
error to its field, and each invalid field marked aria-invalid with its message linked through
aria-describedby. Each form type of msap is submitted invalid here.
"""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from msap.people.models import Role
from tests import factories as f
from tests.conftest import login


class Page(HTMLParser):
    """The elements of a page by id (with their attributes and text), and its title."""

    VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr", "area", "col", "base"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.by_id: dict[str, dict] = {}
        self.invalid: list[dict] = []
        self.summaries: list[dict] = []
        self.title = ""
        self._stack: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": ""}
        if "id" in element["attrs"]:
            self.by_id[element["attrs"]["id"]] = element
        if element["attrs"].get("aria-invalid") == "true":
            self.invalid.append(element)
        if "data-msap-error-summary" in element["attrs"]:
            self.summaries.append(element)
        if tag not in self.VOID:
            self._stack.append(element)

    def handle_endtag(self, tag):
        while self._stack:
            element = self._stack.pop()
            if element["tag"] == tag:
                break

    def handle_data(self, data):
        for element in self._stack:
            element["text"] += data
        if self._stack and self._stack[-1]["tag"] == "title":
            self.title += data


def assert_error_pattern(response, *, field: str | None = None):
    # The page again (200, as every refused form answers), with the form as typed.
    assert response.status_code == 200, response.status_code
    page = Page(response.content.decode())
    assert page.title.strip().startswith("Erreur"), page.title
    assert len(page.summaries) == 1, "one error summary"
    summary = page.summaries[0]
    assert summary["attrs"].get("tabindex") == "-1" and summary["attrs"].get("role") == "alert"
    for element in page.invalid:
        described = element["attrs"].get("aria-describedby", "").split()
        messages = [page.by_id[i]["text"].strip() for i in described if i in page.by_id]
        assert any(messages), f"{element['attrs'].get('name')}: no linked error message"
        assert all(i in page.by_id for i in described), f"dangling aria-describedby {described}"
    if field is not None:
        names = {e["attrs"].get("name") for e in page.invalid}
        assert field in names, f"{field} not marked aria-invalid (marked: {names})"
        # The summary links to the field (or to its group of radio buttons).
        target = next(e for e in page.invalid if e["attrs"].get("name") == field)
        html = response.content.decode()
        assert any(
            f'href="#{anchor}"' in html and anchor in page.by_id
            for anchor in (target["attrs"]["id"], f"id_{field}")
        ), f"the summary does not link to {field}"
    return page


@pytest.fixture
def records(one_house):
    agent = one_house.users.agent
    request = f.ServiceRequestFactory(house=one_house.house, agent=agent)
    item = f.RegisterItemFactory(
        house=one_house.house, created_by=agent, sender_name="Jeanne Martin"
    )
    dossier = f.DossierFactory(
        house=one_house.house, consent_by=agent, first_name="Jeanne", last_name="Martin"
    )
    mobile = f.HouseFactory(kind="mobile", organisation=one_house.house.organisation)
    f.MembershipFactory(user=one_house.users.responsable, role=Role.RESPONSABLE, house=mobile)
    return {"request": request, "item": item, "dossier": dossier, "mobile": mobile}


def cases(world, records):
    """(role, url, data, the field that must be marked invalid) for each form type."""
    h = world.house.pk
    mobile_stops = reverse("house_stops", args=[records["mobile"].pk])
    dossier, item = records["dossier"].pk, records["item"].pk
    return {
        "login": (None, reverse("login"), {"username": "", "password": ""}, "username"),
        "house identity": ("responsable", reverse("house_edit", args=[h]), {"name": ""}, "name"),
        "closure": (
            "responsable",
            reverse("house_closures", args=[h]),
            {"start_date": "pas une date", "end_date": "", "reason": "Travaux"},
            "start_date",
        ),
        "equipment": (
            "responsable",
            reverse("equipment_add", args=[h]),
            {"kind": "nothing-like-it", "quantity": "0"},
            "kind",
        ),
        "premises": (
            "responsable",
            reverse("house_premises", args=[h]),
            {"version": "", "reduced_mobility_access": "x" * 5},
            None,
        ),
        "stop": (
            "responsable",
            mobile_stops,
            {
                "place": "Marché",
                "commune": "19272",
                "weekday": "2",
                "start": "14:00",
                "end": "9:00",
            },
            "end",
        ),
        "partnership": (
            "responsable",
            reverse("partnership_add", args=[h]),
            {"partner": ""},
            None,
        ),
        "referent": (
            "responsable",
            reverse("referent_add", args=[h, world.caf.pk]),
            {"first_name": "", "email": "pas-une-adresse"},
            "email",
        ),
        "member": (
            "responsable",
            reverse("member_add", args=[h]),
            {"member-email": "pas-une-adresse", "member-role": "agent"},
            "member-email",
        ),
        "training": (
            "responsable",
            reverse("training_add", args=[h]),
            {"training-title": "", "training-kind": "initial"},
            "training-title",
        ),
        "quick entry": ("agent", reverse("desk_entry"), {"house": h, "category": ""}, "category"),
        "request edit": (
            "agent",
            reverse("desk_request_edit", args=[records["request"].pk]),
            {"category": "B1", "duration_minutes": "9999", "version": "1"},
            "duration_minutes",
        ),
        "procedure": (
            "national",
            reverse("desk_procedure_admin"),
            {"action": "add", "label": ""},
            "label",
        ),
        "import": ("responsable", reverse("import_upload"), {}, "file"),
        "dossier new": (
            "agent",
            reverse("dossier_new", args=[h]),
            {"last_name": "Martin", "consent_purpose": ""},
            "consent_given",
        ),
        "dossier edit": (
            "agent",
            reverse("dossier_edit", args=[dossier]),
            {"email": "pas-une-adresse", "version": "1"},
            "email",
        ),
        "follow-up": ("agent", reverse("follow_up_add", args=[dossier]), {"note": ""}, "note"),
        "document": ("agent", reverse("document_add", args=[dossier]), {}, "file"),
        "erasure": ("agent", reverse("dossier_erase", args=[dossier]), {}, "confirm"),
        "register item": (
            "agent",
            reverse("item_new", args=[h, "courrier-arrive"]),
            {"subject": "", "channel": "post"},
            "subject",
        ),
        "register action": (
            "agent",
            reverse("item_action", args=[item, "due"]),
            {"due-version": "1", "due-due_on": "", "due-reason": ""},
            None,
        ),
    }


CASES = [
    "login",
    "house identity",
    "closure",
    "equipment",
    "premises",
    "stop",
    "partnership",
    "referent",
    "member",
    "training",
    "quick entry",
    "request edit",
    "procedure",
    "import",
    "dossier new",
    "dossier edit",
    "follow-up",
    "document",
    "erasure",
    "register item",
    "register action",
]


@pytest.mark.parametrize("case", CASES)
def test_a_refused_form_says_so_in_the_title_summary_and_fields(client, world, records, case):
    role, url, data, field = cases(world, records)[case]
    if role is not None:
        login(client, getattr(world.users, role))
    # Every form answers 200, a register action too (posted from the item's page to a URL of its
    # own, it answers the item's page again).
    assert_error_pattern(client.post(url, data), field=field)


class Marks(HTMLParser):
    """Which required fields of a page lack the DSFR asterisk, and whether the legend is there."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.required: list[tuple[str, str]] = []  # (id or name, type)
        self.marked_labels: set[str] = set()
        self.marked_fieldsets: list[bool] = []
        self.unmarked_radios: list[str] = []
        self._label_for: str | None = None
        self._fieldsets: list[dict] = []
        self._in_legend = False
        self.markers = 0
        self.feed(html)
        self.legend = "Les champs marqués d'un astérisque (*) sont obligatoires." in html

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "fieldset":
            self._fieldsets.append({"marked": False})
        elif tag == "legend":
            self._in_legend = True
        elif tag == "label":
            self._label_for = a.get("for")
        elif tag == "span" and "fr-required-marker" in (a.get("class") or ""):
            self.markers += 1
            if self._in_legend and self._fieldsets:
                self._fieldsets[-1]["marked"] = True
            if self._label_for:
                self.marked_labels.add(self._label_for)
        elif tag in ("input", "select", "textarea") and "required" in a:
            if a.get("type") in ("hidden", "submit"):
                return
            if a.get("type") in ("radio", "checkbox") and self._fieldsets:
                if not self._fieldsets[-1]["marked"]:
                    self.unmarked_radios.append(a.get("name", ""))
            else:
                self.required.append((a.get("id", ""), a.get("name", "")))

    def handle_endtag(self, tag):
        if tag == "fieldset" and self._fieldsets:
            self._fieldsets.pop()
        elif tag == "legend":
            self._in_legend = False
        elif tag == "label":
            self._label_for = None


@pytest.mark.parametrize(
    "case", [*(c for c in CASES if c not in ("register action",)), "partnership page"]
)
def test_required_fields_carry_the_dsfr_asterisk_and_its_legend(client, world, records, case):
    role, url, _data, _field = cases(world, records).get(case, ("responsable", "", {}, None))
    # Forms posted to an action URL are shown on their screen.
    shown_on = {"equipment": "house_premises", "member": "house_staff", "training": "house_staff"}
    if case in shown_on:
        url = reverse(shown_on[case], args=[world.house.pk])
    elif case == "partnership page":
        url = reverse("partnership_detail", args=[world.house.pk, world.caf.pk])
    if role is not None:
        login(client, getattr(world.users, role))
    page = client.get(url)
    assert page.status_code == 200
    marks = Marks(page.content.decode())
    unmarked = [name for ident, name in marks.required if ident not in marks.marked_labels]
    assert not unmarked, f"required fields without their asterisk: {unmarked}"
    assert not marks.unmarked_radios, (
        f"required groups without their asterisk: {marks.unmarked_radios}"
    )
    if marks.markers:
        assert marks.legend, "asterisks without the legend that explains them"
