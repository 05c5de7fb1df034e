"""The daily retention run, as a django-tasks background task.

The task applies retention and then queues its next run for the next night (03.00 local
time), so one queued run is always waiting. ``manage.py apply_retention --schedule`` (run by
``make run`` before it starts the worker) queues the first one; it and the task queue a
run only when none is waiting, so however often either runs there is one chain."""

from datetime import datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from tila.audit.anchors import verify_and_anchor
from tila.lib.privacy import Counts
from tila.privacy.retention import apply_retention

RUN_AT = time(3, 0)
# Finished background tasks are kept this long for the operator to look into, then deleted.
KEEP_SUCCESSFUL = timedelta(days=7)
KEEP_FAILED = timedelta(days=30)


def next_run(now: datetime | None = None) -> datetime:
    """The next 03.00 in Tila's time zone after ``now``."""
    local = timezone.localtime(now or timezone.now())
    candidate = timezone.make_aware(datetime.combine(local.date(), RUN_AT))
    if candidate <= local:
        candidate = timezone.make_aware(datetime.combine(local.date() + timedelta(days=1), RUN_AT))
    return candidate


@task()
def apply_retention_daily() -> Counts:
    """Retention, then the audit log's daily verification and anchor, then the next run."""
    deleted = apply_retention()
    verify_and_anchor()
    prune_task_results()
    schedule_retention()
    return deleted


def prune_task_results(now: datetime | None = None) -> int:
    """Delete finished task results: successful ones after a week, failed ones after a month
    (their errors are what an operator looks into). Returns how many were deleted."""
    now = now or timezone.now()
    finished = DBTaskResult.objects.filter(
        Q(status=TaskResultStatus.SUCCESSFUL, finished_at__lte=now - KEEP_SUCCESSFUL)
        | Q(status=TaskResultStatus.FAILED, finished_at__lte=now - KEEP_FAILED)
    )
    deleted, _ = finished.delete()
    return deleted


def waiting_runs() -> int:
    return DBTaskResult.objects.filter(
        task_path=apply_retention_daily.module_path, status=TaskResultStatus.READY
    ).count()


def schedule_retention() -> bool:
    """Queue the next daily run unless one is already waiting. Returns whether it queued."""
    if waiting_runs():
        return False
    apply_retention_daily.using(run_after=next_run()).enqueue()
    return True
