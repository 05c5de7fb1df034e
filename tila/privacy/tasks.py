"""The daily retention run, as a django-tasks background task.

The task applies retention and then queues its next run for the next night (03.00 local
time), so one queued run is always waiting. ``manage.py apply_retention --schedule`` (run by
``make run`` before it starts the worker) queues the first one; it and the task queue a
run only when none is waiting, so however often either runs there is one chain."""

from datetime import datetime, time, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from tila.audit.anchors import verify_and_anchor
from tila.lib.privacy import Counts
from tila.privacy.retention import apply_retention

RUN_AT = time(3, 0)


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
    schedule_retention()
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
