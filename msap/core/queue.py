"""The task queue (django.tasks with django-tasks-db): how msap enqueues, retries and runs.

Every send is a task whose arguments name the state it derives from (a delivery, a batch of
reminder rows); the task claims that state with a conditional UPDATE before sending, so a task
run twice, or two workers picking the same work, never send twice. See docs/architecture.md.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.tasks import Task
from django.utils.crypto import get_random_string
from django_tasks_db import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction


def enqueue(task: Task, *args, run_after: datetime | None = None, **kwargs) -> None:
    """Queue `task`. With the database queue, in the caller's transaction: the task row commits
    or rolls back with the state it is about (no send for a rolled-back change, no change left
    without its send). With another backend (immediate, in tests or MSAP_TASKS_IMMEDIATE), once
    the transaction has committed, so the task reads committed state."""
    if run_after is not None:
        task = task.using(run_after=run_after)
    if isinstance(task.get_backend(), DatabaseBackend):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(lambda: task.enqueue(*args, **kwargs))


def backoff(attempt: int, *, first: float, factor: float, cap: float) -> timedelta:
    """The wait before retry number `attempt` (1 for the first retry): first × factor^(n-1),
    at most `cap` seconds."""
    return timedelta(seconds=min(cap, first * factor ** max(0, attempt - 1)))


def run_ready_tasks(queue: str = "*", *, max_tasks: int | None = None) -> int:
    """Run the queue's ready tasks in this process, as `msap worker --batch` does, and return
    how many ran: what tests and benchmarks use to run tasks for real. The same claim (SELECT …
    FOR UPDATE SKIP LOCKED) and the same `Worker.run_task` as `msap worker`; only the worker's
    recycling of database connections between polls is left out, since it would close a test's
    transaction."""
    worker = Worker(
        queue_names=queue.split(","),
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id=f"inline-{get_random_string(12)}",
        excluded_queue_names=[],
    )
    ran = 0
    while max_tasks is None or ran < max_tasks:
        ready = DBTaskResult.objects.ready().filter(backend_name=worker.backend_name)
        if not worker.process_all_queues:
            ready = ready.filter(queue_name__in=worker.queue_names)
        with exclusive_transaction(ready.db):
            task_result = ready.get_locked()
            if task_result is None:
                return ran
            task_result.claim(worker.worker_id)
        worker.run_task(task_result)
        ran += 1
    return ran
