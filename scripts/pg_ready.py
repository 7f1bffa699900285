"""Exit 0 when the PostgreSQL server of the given URL answers (its database need not exist)."""

import sys

import psycopg

url = sys.argv[1]
try:
    base, _, _ = url.rpartition("/")
    with psycopg.connect(base + "/postgres", connect_timeout=3):
        pass
except Exception as exc:  # any failure means "not ready"
    print(f"PostgreSQL not reachable: {exc}", file=sys.stderr)
    sys.exit(1)
