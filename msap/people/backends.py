"""Login by email, case-insensitive; demo accounts only in demo mode."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from msap.people.models import User


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get("email") or "").strip()
        if not email or password is None:
            return None
        try:
            user = User.objects.get(email__iexact=email)
        except User.DoesNotExist:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if user.is_demo and not settings.DEMO_MODE:
            # The demo password is public: its accounts must never open outside demo mode.
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
