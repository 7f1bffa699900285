"""The public site's rules: the limits of its search and forms.

The charter's commitments shown on every house page (convention-cadre, annex 4, §4.1) are the
charter's data (msap.charter.queries.commitments_for), read in the version in force this year.
"""

# --- the search ----------------------------------------------------------------------------------
# Longer than any commune name (the longest has 45 characters) or postal code: refused, not cut.
MAX_QUERY_LENGTH = 80
# Communes offered by the type-ahead, houses listed beyond those serving the commune.
SUGGESTIONS = 8
NEAREST = 10

# --- the forms (commitments 11, 12, 14, 15) ------------------------------------------------------
MAX_SUBJECT = 200
MAX_BODY = 5000
MAX_NAME = 200
MAX_ADDRESS = 300
# Abuse resistance without a third-party captcha: per client address, and per house (a flood
# aimed at one house from many addresses), over a sliding hour.
RATE_WINDOW_SECONDS = 3600
RATE_PER_CLIENT = 5
RATE_PER_HOUSE = 60
# The form's token (idempotency and fill time) is valid this long.
FORM_TOKEN_MAX_AGE = 24 * 3600
