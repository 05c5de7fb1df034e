"""Read-only questions about meetings and the contracts they belong to.

Every function here takes querysets that are already scoped by the access helpers, and
runs a fixed number of queries however many rows there are."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.clients.models import ClientMember
from tila.contracts.models import Acceptance, Contract, ContractQuerySet, Party, Status
from tila.meetings.models import COUNTED_STATUSES, Meeting, MeetingQuerySet, MeetingStatus

# How far ahead the dashboard looks.
COMING_DAYS = 14
ATTENTION_DAYS = 30
FEW_MEETINGS_LEFT = 2
# Contracts that are under way: their meetings and evaluations need looking after.
RUNNING_STATUSES = [Status.TRIAL, Status.ACTIVE, Status.PAUSED]
# Contracts whose current version should be accepted by every party.
ACCEPTANCE_STATUSES = [Status.DRAFT, Status.TRIAL, Status.ACTIVE]

Slot = tuple[datetime, datetime]


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def with_details(meetings: MeetingQuerySet) -> MeetingQuerySet:
    """What a row of meetings shows: contract, client, supervisor and 'N/M'."""
    return meetings.select_related("contract", "contract__client", "supervisor").with_ordinal()


def meetings_between(meetings: MeetingQuerySet, first: date, last: date) -> MeetingQuerySet:
    """Meetings that start on the days ``first`` to ``last`` (local time), both included."""
    return meetings.filter(
        start__gte=local_midnight(first), start__lt=local_midnight(last + timedelta(days=1))
    )


def not_marked_held(meetings: MeetingQuerySet, now: datetime) -> MeetingQuerySet:
    """Planned meetings that have already ended: someone should record what happened."""
    return meetings.filter(status=MeetingStatus.PLANNED, end__lte=now)


def find_clashes(
    supervisor: User, slots: Iterable[Slot], exclude: Meeting | None = None
) -> list[tuple[Slot, Meeting]]:
    """Each slot paired with each of the supervisor's blocking meetings that it overlaps.

    One query for all the slots. The database refuses the same overlaps (migration 0002);
    this check only lets the form name the clashing times."""
    slots = list(slots)
    if not slots:
        return []
    overlapping = Q()
    for start, end in slots:
        overlapping |= Q(start__lt=end, end__gt=start)
    others = Meeting.objects.blocking().filter(overlapping, supervisor=supervisor)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    found = list(others.order_by("start"))
    return [
        ((start, end), other)
        for start, end in slots
        for other in found
        if other.start < end and other.end > start
    ]


def counted_meetings(contract: Contract) -> int:
    return contract.meetings.filter(status__in=COUNTED_STATUSES).count()


def members_on(contract: Contract, day: date) -> list[ClientMember]:
    """The client's members on the given day: joined by then and not yet left."""
    return list(
        contract.client.members.filter(joined_on__lte=day)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=day))
        .select_related("person")
        .order_by("person__name", "id")
    )


# --- Contracts that need attention -------------------------------------------------------


@dataclass
class Reason:
    """One reason to look at a contract, shown as a badge in words with a short note."""

    kind: str
    label: str
    note: str = ""
    on: date | None = None


@dataclass
class Attention:
    contract: Contract
    reasons: list[Reason] = field(default_factory=list)


# Meetings that have used one of the contract's meetings: they are behind us.
USED_STATUSES: list[str] = [s for s in COUNTED_STATUSES if s != MeetingStatus.PLANNED]


def with_attention_facts(contracts: ContractQuerySet) -> ContractQuerySet:
    """Annotate what the attention rules need, in the same single query.

    Subqueries rather than joined counts, so that the counts do not multiply each other."""

    def count_of(statuses: Iterable[str]) -> Subquery:
        meetings = (
            Meeting.objects.filter(contract=OuterRef("pk"), status__in=statuses)
            .order_by()
            .values("contract")
            .annotate(n=Count("id"))
            .values("n")
        )
        return Subquery(meetings, output_field=IntegerField())

    def accepted_by(party: str) -> Exists:
        return Exists(
            Acceptance.objects.filter(
                contract=OuterRef("pk"), version=OuterRef("version"), party=party
            )
        )

    return contracts.annotate(
        counted=Coalesce(count_of(COUNTED_STATUSES), Value(0)),
        used=Coalesce(count_of(USED_STATUSES), Value(0)),
        **{f"accepted_{party}": accepted_by(party) for party in Party.values},
    )


def attention_reasons(contract: Contract, today: date) -> list[Reason]:
    """Why a contract needs the supervisor's attention; empty when it does not.

    The rules, each within ``ATTENTION_DAYS`` (30) days from today:
    - an interim evaluation is due (``Contract.next_evaluation_date``);
    - few meetings left: a running contract whose used meetings (held, late cancelled,
      no-show) reach ``meeting_count - 2``: time to talk about continuing;
    - the contract ends (``end_date``);
    - the current version is not accepted by every party while the contract is a draft, on
      trial or active (the orderer only when there is one).
    Expects the annotations of ``with_attention_facts``."""
    horizon = today + timedelta(days=ATTENTION_DAYS)
    reasons: list[Reason] = []
    if contract.status == Status.ENDED:
        return reasons
    due = contract.next_evaluation_date(today)
    if due is not None and due <= horizon:
        final = contract.end_date is not None and due == contract.end_date
        reasons.append(
            Reason(
                "evaluation",
                _("Final evaluation due") if final else _("Interim evaluation due"),
                on=due,
            )
        )
    used: int = getattr(contract, "used", 0)
    left = contract.meeting_count - used
    if contract.status in RUNNING_STATUSES and left <= FEW_MEETINGS_LEFT:
        note = _("%(used)s of %(count)s meetings used") % {
            "used": used,
            "count": contract.meeting_count,
        }
        label = _("No meetings left") if left <= 0 else _("Few meetings left")
        reasons.append(Reason("meetings", label, note=note))
    if contract.end_date is not None and today <= contract.end_date <= horizon:
        reasons.append(Reason("ending", _("Ending soon"), on=contract.end_date))
    missing = missing_acceptances(contract)
    if contract.status in ACCEPTANCE_STATUSES and missing:
        note = _("Version %(version)s waits for: %(parties)s") % {
            "version": contract.version,
            "parties": ", ".join(str(Party(party).label) for party in missing),
        }
        reasons.append(Reason("acceptance", _("Not accepted"), note=note))
    return reasons


def missing_acceptances(contract: Contract) -> list[str]:
    """The parties that have not accepted the current version (from the annotations).

    The orderer is a party only when the contract has one."""
    parties = [Party.SUPERVISOR, Party.SUPERVISEES]
    if contract.organisation_id is not None:
        parties.append(Party.ORDERER)
    return [party for party in parties if not getattr(contract, f"accepted_{party}", False)]


def contracts_needing_attention(contracts: ContractQuerySet, today: date) -> list[Attention]:
    rows = with_attention_facts(contracts.open().select_related("client")).order_by(
        "end_date", "title"
    )
    found = [Attention(contract, attention_reasons(contract, today)) for contract in rows]
    return [item for item in found if item.reasons]
