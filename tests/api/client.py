"""How the API's tests call it: as a client system does, with a bearer token and a JSON body."""

import json

from msap.people.models import ApiToken


def bearer(user) -> dict:
    """The Authorization header of a fresh token of `user`."""
    _obj, token = ApiToken.issue(user, "test")
    return {"Authorization": f"Bearer {token}"}


def post(client, user, url, body, **headers):
    """POST `body` as JSON to `url` with `user`'s token (plus `headers`: Idempotency-Key…)."""
    return client.post(
        url,
        data=json.dumps(body),
        content_type="application/json",
        headers={**bearer(user), **headers},
    )
