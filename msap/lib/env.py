"""Typed readers for environment variables, so settings stay one short module.

An empty value counts as unset (`MSAP_DATABASE_URL= make …` means "the default"). A malformed
boolean or integer raises ImproperlyConfigured naming the variable: a typo must not silently
read as the default. `old=` names the variable's former names: each is still read when the new
name is absent, with a DeprecationWarning naming the new one (once per name); a new name that is
set, even empty, wins over its old ones.
"""

import os
import sys
import warnings
from collections.abc import Iterable

from django.core.exceptions import ImproperlyConfigured

TRUE = frozenset({"1", "true", "yes", "on"})
FALSE = frozenset({"0", "false", "no", "off"})

# Old names already warned about in this process: one warning per name, not one per read.
_warned: set[str] = set()


def _read(name: str, old: str | Iterable[str]) -> tuple[str, str]:
    """(the name actually read, for messages; its value, "" when nothing is set)."""
    if name in os.environ:
        return name, os.environ[name]
    for former in (old,) if isinstance(old, str) else old:
        value = os.environ.get(former, "")
        if value:
            _deprecated(former, name)
            return f"{former} (former name of {name})", value
    return name, ""


def _deprecated(former: str, name: str) -> None:
    if former in _warned:
        return
    _warned.add(former)
    with warnings.catch_warnings():
        if not sys.warnoptions:
            # Python hides DeprecationWarning outside __main__, and an operator must see this
            # one in the server's log; -W or PYTHONWARNINGS still decide when they are given.
            warnings.simplefilter("always", DeprecationWarning)
        warnings.warn(
            f"The environment variable {former} is deprecated: set {name} instead.",
            DeprecationWarning,
            skip_file_prefixes=(os.path.dirname(__file__),),
        )


def env_str(name: str, default: str = "", *, old: str | Iterable[str] = ()) -> str:
    return _read(name, old)[1] or default


def env_bool(name: str, default: bool = False, *, old: str | Iterable[str] = ()) -> bool:
    read, value = _read(name, old)
    if not value.strip():
        return default
    if value.strip().lower() in TRUE:
        return True
    if value.strip().lower() in FALSE:
        return False
    raise ImproperlyConfigured(
        f"{read}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off."
    )


def env_int(name: str, default: int, *, old: str | Iterable[str] = ()) -> int:
    read, value = _read(name, old)
    if not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{read}={value!r} is not an integer.") from None


def env_list(name: str, default: str = "", *, old: str | Iterable[str] = ()) -> list[str]:
    """A comma-separated list; an empty value reads as the default, like the other readers."""
    value = _read(name, old)[1] or default
    return [item.strip() for item in value.split(",") if item.strip()]
