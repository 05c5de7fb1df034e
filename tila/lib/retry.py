"""Retrying a background task that sends mail: the task queues itself again a while later.

A task that failed to send calls ``retry_later`` from its ``except`` block; it queues the same
task with the same arguments and ``attempt + 1`` after the next pause of ``RETRY_AFTER``, and
logs the failure. After the last try it logs an error and re-raises, so the task ends failed
and stays in the task table."""

import logging
from datetime import timedelta
from typing import Any

from django.utils import timezone
from django_tasks.base import Task

logger = logging.getLogger(__name__)

RETRY_AFTER = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]


def retry_later(
    task: Task[Any, Any], args: list[Any], attempt: int, what: str, error: Exception
) -> None:
    """Queue ``task(*args, attempt + 1)`` later, or give up after the last try."""
    if attempt >= len(RETRY_AFTER):
        logger.error("%s failed for good after %d tries: %s", what, attempt + 1, error)
        raise error
    logger.warning(
        "%s failed (%s); trying again in %s", what, type(error).__name__, RETRY_AFTER[attempt]
    )
    task.using(run_after=timezone.now() + RETRY_AFTER[attempt]).enqueue(*args, attempt + 1)
