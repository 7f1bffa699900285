"""Distances on the Earth's surface, for "the nearest houses" to a commune's centre."""

from math import asin, cos, radians, sin, sqrt

# Mean radius of the Earth (IUGG), in kilometres: the haversine formula on a sphere is within
# 0.5 % of the ellipsoid, far finer than a commune's centre is a place a person stands at.
EARTH_RADIUS_KM = 6371.0088


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two points given in decimal degrees (WGS 84),
    by the haversine formula. Accepts floats or Decimals (the houses' coordinates)."""
    phi1, phi2 = radians(float(lat1)), radians(float(lat2))
    d_phi = phi2 - phi1
    d_lambda = radians(float(lon2) - float(lon1))
    h = sin(d_phi / 2) ** 2 + cos(phi1) * cos(phi2) * sin(d_lambda / 2) ** 2
    # min(): rounding can push h a hair above 1 for antipodal points, outside asin's domain.
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(h)))
