"""msap.lib.geo.distance_km: the great-circle distance the public search ranks the nearest
houses by (issue 10: "then the nearest others, from coordinates")."""

from decimal import Decimal

import pytest

from msap.lib.geo import distance_km

PARIS = (48.8566, 2.3522)
LYON = (45.7640, 4.8357)
MARSEILLE = (43.2965, 5.3698)


def test_a_point_is_at_zero_km_from_itself():
    assert distance_km(*PARIS, *PARIS) == 0


@pytest.mark.parametrize(
    ("a", "b", "expected_km"),
    [
        (PARIS, LYON, 392),  # the road signs' crow-flies figure
        (PARIS, MARSEILLE, 661),
        (LYON, MARSEILLE, 278),
        ((0, 0), (0, 1), 111.2),  # one degree of longitude at the equator
        ((0, 0), (1, 0), 111.2),  # one degree of latitude
    ],
)
def test_known_distances_within_half_a_percent(a, b, expected_km):
    assert distance_km(*a, *b) == pytest.approx(expected_km, rel=0.005)


def test_the_distance_is_symmetric():
    assert distance_km(*PARIS, *MARSEILLE) == pytest.approx(distance_km(*MARSEILLE, *PARIS))


def test_crossing_the_antimeridian_takes_the_short_way():
    # Two points either side of 180°: 2 degrees of longitude apart, not 358.
    assert distance_km(0, 179, 0, -179) == pytest.approx(222.4, rel=0.005)


def test_antipodal_points_are_half_the_circumference_apart():
    assert distance_km(0, 0, 0, 180) == pytest.approx(20015, rel=0.001)
    assert distance_km(90, 0, -90, 0) == pytest.approx(20015, rel=0.001)


def test_decimal_coordinates_as_the_houses_store_them():
    house = (Decimal("18.067500"), Decimal("-63.082900"))  # Marigot, Saint-Martin
    assert distance_km(*house, 18.0675, -63.0829) == pytest.approx(0, abs=1e-6)
