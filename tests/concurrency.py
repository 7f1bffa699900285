"""Run clients at once, each in its own thread and database connection (PostgreSQL tests of
"exactly one wins"): a barrier releases them together."""

import threading

from django.db import connections

from msap.core.errors import DomainError


def run_at_once(client, args_list, *, timeout: float = 60):
    """Call `client(*args)` for each args at the same instant; returns (results, French
    refusals, other errors)."""
    barrier = threading.Barrier(len(args_list))
    won, refused, errors = [], [], []

    def run(args):
        try:
            barrier.wait(timeout=20)
            won.append(client(*args))
        except DomainError as exc:
            refused.append(exc.message)
        except Exception as exc:  # pragma: no cover - reported by the caller's assertion
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(args,)) for args in args_list]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return won, refused, errors
