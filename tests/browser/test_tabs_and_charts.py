"""The house's tabs and the board's charts from 320 to 1280 px (issue 15, item 1): the tabs stay
one row of whole labels that scrolls sideways, and no chart text leaves its chart."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.browser.conftest import LABEL_CHECKS_JS, login

MEASURE = (
    """() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('page scrolls sideways');
  const tabs = [...document.querySelectorAll('nav[data-msap-tabs] li')];
  if (new Set(tabs.map(li => li.offsetTop)).size > 1) out.push('tabs on several rows');
  const wraps = 2.2;
"""
    + LABEL_CHECKS_JS
    + """
  const row = document.querySelector('nav[data-msap-tabs] ul');
  return {problems: out, scrolls: row.scrollWidth > row.clientWidth + 1,
          current: document.querySelector('nav[data-msap-tabs] [aria-current]').getBoundingClientRect().right <= row.getBoundingClientRect().right + 1,
          charts: document.querySelectorAll('svg[role="img"]').length};
}"""
)


@pytest.mark.parametrize("width", [320, 768, 1280])
def test_house_tabs_and_board_charts_keep_their_labels_whole(page, world, width):
    now = timezone.now()
    for code, partner in (("A", None), ("B1", "caf"), ("B2", "france-travail"), ("C", "msa")):
        for i in range(3):
            f.ServiceRequestFactory(
                house=world.house,
                agent=world.users.agent,
                occurred_at=now - timedelta(minutes=5 + i),
                partner=partner,
                category=code,
            )
    login(page, world.users.responsable.email, f.PASSWORD)
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(reverse("desk_board", args=[world.house.pk]) + "?periode=mois")
    result = page.evaluate(MEASURE)
    assert not result["problems"], result["problems"]
    assert result["charts"] >= 5
    assert result["current"], "the current tab is scrolled into view"
    if width == 320:
        assert result["scrolls"], "below the width where they fit, the tabs scroll sideways"
    # At 1280 px the house's fifteen tabs (issue 11 added four) no longer fit in one row: it
    # scrolls sideways there too, the current tab kept in view (asserted above).
