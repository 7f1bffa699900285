"""The reads of a house's convention that screens, the API and the document share."""

from django.http import Http404
from django.utils.translation import gettext as _

from msap.conventions import rules
from msap.conventions.models import Convention, ManagementTerms, Signatory
from msap.network.queries import get_house_for_user


def get_house_convention_for_user(user, house_pk, *, need: str = "staff"):
    """The house, its convention (None before the signature) and the user's access: 404 when
    the house is unseen, 403 when `need` is not allowed. The convention carries every referent's
    contact (annex 2) and the partners' management terms (annex 3): for the house's staff; the
    département's and the national cells read its dates (`sees_staff`)."""
    house, access = get_house_for_user(user, house_pk, need=need)
    convention = Convention.objects.filter(house=house).first()
    if convention is not None:
        convention.house = house
    return house, convention, access


def require_convention(convention):
    if convention is None:
        raise Http404(_("Cette maison n'a pas encore de convention-cadre."))
    return convention


def get_signatory(convention, pk) -> Signatory:
    try:
        signatory = convention.signatories.select_related("partnership__partner").get(pk=pk)
    except (Signatory.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("Signataire introuvable.")) from None
    signatory.convention = convention
    return signatory


def get_adhesion(convention, pk):
    try:
        request = convention.adhesion_requests.select_related("partner").get(pk=pk)
    except (convention.adhesion_requests.model.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404(_("Demande d'adhésion introuvable.")) from None
    request.convention = convention
    return request


def signatories(convention) -> list[Signatory]:
    rows = list(
        convention.signatories.select_related("partnership__partner").order_by(
            "kind", "signed_on", "pk"
        )
    )
    for row in rows:
        row.convention = convention
    return rows


def terms_by_signatory(convention, year: int) -> dict[int, ManagementTerms]:
    return {
        t.signatory_id: t
        for t in ManagementTerms.objects.filter(signatory__convention=convention, year=year)
    }


def current_term(convention, today):
    return rules.term_on(convention.signed_on, today)
