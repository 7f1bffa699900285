"""The reads of the charter that the house's page, the tables, the PDF, the API and the
convention's annex 4 share."""

from dataclasses import dataclass

from msap.charter.models import CharterVersion, Commitment


@dataclass(frozen=True)
class CommitmentData:
    code: str
    group: int
    group_title: str
    wording: str
    description: str
    means: str
    means_partners: str
    evidence: str
    optional: bool
    order: int


@dataclass(frozen=True)
class CharterData:
    title: str
    in_force_from: int
    source: str
    commitments: tuple[CommitmentData, ...]

    def groups(self) -> list[tuple[int, str, list[CommitmentData]]]:
        """The five service commitments of §4.1, each with its items, in the charter's order."""
        groups: dict[int, tuple[int, str, list[CommitmentData]]] = {}
        for c in self.commitments:
            groups.setdefault(c.group, (c.group, c.group_title, []))[2].append(c)
        return list(groups.values())

    def get(self, code: str) -> CommitmentData | None:
        return next((c for c in self.commitments if c.code == code), None)


def version_for(year: int) -> CharterVersion | None:
    """The version in force in `year`: the latest whose first year is not after it."""
    return CharterVersion.objects.filter(in_force_from__lte=year).order_by("-in_force_from").first()


def commitments_for(year: int) -> CharterData | None:
    """The charter in force in `year` with its commitments, as plain values (two queries); None
    before the first version. Texts are the seed's French; the public wording and the group
    titles have English translations in the catalogue (see gettext in the public page)."""
    version = version_for(year)
    if version is None:
        return None
    rows = Commitment.objects.filter(version=version).order_by("order")
    return CharterData(
        title=version.title,
        in_force_from=version.in_force_from,
        source=version.source,
        commitments=tuple(
            CommitmentData(
                code=c.code,
                group=c.group,
                group_title=c.group_title,
                wording=c.wording,
                description=c.description,
                means=c.means,
                means_partners=c.means_partners,
                evidence=c.evidence,
                optional=c.optional,
                order=c.order,
            )
            for c in rows
        ),
    )
