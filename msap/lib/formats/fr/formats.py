"""French date formats of msap, where they differ from Django's (FORMAT_MODULE_PATH): a moment
reads "1 décembre 2026 à 14:30". Templates name the format (DATETIME_FORMAT), never spell it, so
an English page reads "Dec. 1, 2026, 2:30 p.m." from Django's English formats."""

DATETIME_FORMAT = r"j F Y \à H:i"
