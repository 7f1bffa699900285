"""The settings of every test run (pyproject's DJANGO_SETTINGS_MODULE), so that a bare `pytest`
is as fast as `make test`: the application's own settings in test mode, whatever the
environment says (the MD5 hasher, no login lockout, the demo secret key accepted).

Test mode goes through the environment, not only through this module, so the commands the
tests run in subprocesses inherit it. A test of the lockout turns it back on with the
`settings` fixture (`settings.AXES_ENABLED = True`).
"""

import os

os.environ["MSAP_TESTING"] = "true"

from msap.settings import *  # noqa: F403
