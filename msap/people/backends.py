"""Login by email, case-insensitive; demo accounts only in demo mode."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from msap.people.models import User


class EmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = (username or kwargs.get("email") or "").strip()
        if not email or password is None:
            return None
        # Emails are stored lowercased, but older rows may differ only by case: prefer the exact one.
        candidates = list(User.objects.filter(email__iexact=email).order_by("pk")[:2])
        user = next(
            (u for u in candidates if u.email == email), candidates[0] if candidates else None
        )
        if user is None:
            User().set_password(password)  # same cost as a real check: no timing oracle
            return None
        if not user.check_password(password):
            return None
        if user.is_demo and not settings.DEMO_MODE:
            # The demo password is public: its accounts must never open outside demo mode.
            return None
        return user if self.user_can_authenticate(user) else None
