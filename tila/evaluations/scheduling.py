"""Rounds that open by themselves at the contract's evaluation points.

``open_due_rounds`` looks at one contract and opens what is due and not yet open:

- at the start (from a week before the start to four weeks after it): where we start, and
  the goals;
- interim (after the agreed number of held meetings, or on the agreed date; by default after
  the contract's evaluation interval from the start): the interim evaluation and the goals;
- at the end (when all but the last meeting have been held, or two weeks before the end):
  the final evaluation, where we are now, and the goals;
- session feedback after each held meeting of the last week, when the contract wants it.

The database allows each point's measure and each meeting's feedback once
(``round_once_per_point``, ``round_once_per_meeting``), so running this again, or twice at
the same time, opens nothing twice. ``open_due_rounds_for_all`` runs it for every current
contract; ``open_due_rounds_hourly`` calls it every hour, as a background task that queues
its own next run (``manage.py open_evaluations --schedule``, run by ``make run``, queues the
first)."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action
from tila.clients.models import ClientKind
from tila.contracts.models import Contract, Status
from tila.evaluations.actions import measure_questionnaire, open_round, questionnaire_for
from tila.evaluations.measures import GOAL_ATTAINMENT
from tila.evaluations.models import EvaluationRound, EvaluationSchedule, Point, Questionnaire
from tila.meetings.models import Meeting, MeetingStatus

SCHEDULED_STATUSES = [Status.TRIAL, Status.ACTIVE]
START_BEFORE = timedelta(days=7)
FINAL_BEFORE_END = timedelta(days=14)
LATE_START = timedelta(days=28)
LATE_FINAL = timedelta(days=30)
FEEDBACK_WITHIN = timedelta(days=7)
POINT_MEASURES: dict[str, list[str]] = {
    Point.START: ["baseline", GOAL_ATTAINMENT],
    Point.INTERIM: ["interim", GOAL_ATTAINMENT],
    Point.FINAL: ["final", "baseline", GOAL_ATTAINMENT],
}


def schedule_of(contract: Contract) -> EvaluationSchedule:
    """The contract's schedule, or an unsaved one with the defaults."""
    found = EvaluationSchedule.objects.filter(contract=contract).first()
    if found is not None:
        return found
    return EvaluationSchedule(
        contract=contract, anonymous=contract.client.kind != ClientKind.INDIVIDUAL
    )


def interim_date(contract: Contract, schedule: EvaluationSchedule) -> date | None:
    if schedule.interim_on is not None or schedule.interim_after_meetings is not None:
        return schedule.interim_on
    return contract.next_evaluation_date(contract.start_date + timedelta(days=1))


def due_points(contract: Contract, schedule: EvaluationSchedule, today: date) -> list[str]:
    """The points due today. A point long past is not opened late: the start only until four
    weeks after it, the interim not once the final is due nor after the end, the final not
    a month after the end."""
    held = Meeting.objects.filter(contract=contract, status=MeetingStatus.HELD).count()
    due: list[str] = []
    start = contract.start_date
    if schedule.at_start and start - START_BEFORE <= today <= start + LATE_START:
        due.append(Point.START)
    end = contract.end_date
    near_end = end is not None and today >= end - FINAL_BEFORE_END
    final = (
        schedule.final
        and (near_end or held >= max(contract.meeting_count - 1, 1))
        and (end is None or today <= end + LATE_FINAL)
    )
    on = interim_date(contract, schedule)
    after = schedule.interim_after_meetings
    interim = (on is not None and today >= on) or (after is not None and held >= after)
    if interim and not final and (end is None or today <= end):
        due.append(Point.INTERIM)
    if final:
        due.append(Point.FINAL)
    return due


def _open(
    contract: Contract,
    schedule: EvaluationSchedule,
    questionnaire: Questionnaire,
    point: str,
    meeting: Meeting | None = None,
) -> EvaluationRound | None:
    try:
        return open_round(
            contract=contract,
            questionnaire=questionnaire,
            anonymous=schedule.anonymous,
            k=schedule.k,
            actor=None,
            point=point,
            meeting=meeting,
        )
    except IntegrityError:
        return None  # opened meanwhile by another run


def open_due_rounds(contract: Contract, today: date | None = None) -> list[EvaluationRound]:
    """Open the rounds due at the contract's evaluation points; the ones opened now."""
    if contract.status not in SCHEDULED_STATUSES:
        return []
    today = today or timezone.localdate()
    schedule = schedule_of(contract)
    existing = set(
        EvaluationRound.objects.filter(contract=contract).values_list("point", "measure")
    )
    opened = []
    for point in due_points(contract, schedule, today):
        for measure in POINT_MEASURES[point]:
            if (point, measure) in existing:
                continue
            questionnaire = questionnaire_for(contract, measure)
            if questionnaire is not None:
                opened.append(_open(contract, schedule, questionnaire, point))
    if schedule.session_feedback:
        asked = EvaluationRound.objects.filter(contract=contract, meeting__isnull=False)
        meetings = Meeting.objects.filter(
            contract=contract,
            status=MeetingStatus.HELD,
            start__gte=timezone.now() - FEEDBACK_WITHIN,
        ).exclude(pk__in=asked.values("meeting_id"))
        questionnaire = measure_questionnaire(contract.practice, "session_feedback")
        for meeting in meetings:
            opened.append(_open(contract, schedule, questionnaire, Point.SESSION, meeting))
    return [evaluation for evaluation in opened if evaluation is not None]


def save_schedule(schedule: EvaluationSchedule, *, actor: User) -> list[EvaluationRound]:
    """Save the contract's evaluation points and open what they make due now."""
    with transaction.atomic():
        schedule.save()
        record_event(
            actor=actor,
            practice=schedule.contract.practice,
            object_type="evaluations.EvaluationSchedule",
            object_id=schedule.contract.uuid,
            action=Action.UPDATE,
            detail={"session_feedback": schedule.session_feedback},
        )
        return open_due_rounds(schedule.contract)


def open_due_rounds_for_all(today: date | None = None) -> int:
    """Open what is due in every current contract; how many rounds were opened."""
    opened = 0
    for contract in Contract.objects.filter(status__in=SCHEDULED_STATUSES).select_related(
        "client", "practice"
    ):
        opened += len(open_due_rounds(contract, today))
    return opened


EVERY = timedelta(hours=1)


@task()
def open_due_rounds_hourly() -> int:
    """Queue the next run an hour later (first, so that a failure here does not end the
    chain), then open what is due everywhere."""
    schedule_opening()
    return open_due_rounds_for_all()


def schedule_opening() -> bool:
    """Queue the next hourly run unless one is already waiting. Returns whether it queued."""
    waiting = DBTaskResult.objects.filter(
        task_path=open_due_rounds_hourly.module_path, status=TaskResultStatus.READY
    ).exists()
    if waiting:
        return False
    open_due_rounds_hourly.using(run_after=timezone.now() + EVERY).enqueue()
    return True
