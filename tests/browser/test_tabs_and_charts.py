"""The house's tabs and the board's charts from 320 to 1280 px (issue 15, item 1): the tabs stay
one row of whole labels that scrolls sideways, and no chart text leaves its chart."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.browser.conftest import login

MEASURE = """() => {
  const out = [];
  if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push('page scrolls sideways');
  const tabs = [...document.querySelectorAll('nav[data-msap-tabs] li')];
  if (new Set(tabs.map(li => li.offsetTop)).size > 1) out.push('tabs on several rows');
  for (const a of document.querySelectorAll('nav[data-msap-tabs] a')) {
    if (a.scrollWidth > a.clientWidth + 1) out.push(`tab label cut: ${a.textContent.trim()}`);
    if (a.getClientRects().length > 1 || a.getBoundingClientRect().height > 2.2 * parseFloat(getComputedStyle(a).lineHeight))
      out.push(`tab label wraps: ${a.textContent.trim()}`);
  }
  for (const svg of document.querySelectorAll('svg[role="img"]')) {
    const box = svg.viewBox.baseVal;
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBBox();
      if (b.x < box.x - 0.5 || b.x + b.width > box.x + box.width + 0.5)
        out.push(`chart text outside its chart: ${t.textContent}`);
    }
  }
  const row = document.querySelector('nav[data-msap-tabs] ul');
  return {problems: out, scrolls: row.scrollWidth > row.clientWidth + 1,
          current: document.querySelector('nav[data-msap-tabs] [aria-current]').getBoundingClientRect().right <= row.getBoundingClientRect().right + 1,
          charts: document.querySelectorAll('svg[role="img"]').length};
}"""


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
    if width == 1280:
        assert not result["scrolls"]
