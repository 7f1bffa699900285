"""The page of one of a house's tabs (msap/house_base.html): every such page is given the house,
what the user may do there (`access`, a permissions.HouseAccess) and the tab it highlights."""

from django.shortcuts import render


def render_house_tab(request, template: str, house, access, *, tab: str, status=None, **context):
    return render(
        request, template, {"house": house, "access": access, "tab": tab, **context}, status=status
    )
