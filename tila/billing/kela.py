"""The supervision statement (työnohjauslausunto) a therapist gives Kela for rehabilitative
psychotherapy: who supervises her and with what training, since when, how often, how many
hours so far and whether the supervision continues. Drawn from her therapy supervision
contracts and the hours ledger; never content."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from weasyprint import CSS, HTML

from tila.accounts.models import User
from tila.billing.certificates import STYLESHEET, Ledger, _no_fetching, hours_ledger
from tila.clients.models import Person
from tila.contracts.models import Contract, ContractQuerySet, Status
from tila.lib.formatting import decimal_fi
from tila.lib.templatetags.tila import short_date
from tila.practices.models import Form, Practice

WEEKS_IN_MONTH = Decimal(52) / Decimal(12)
LANGUAGES = ("fi", "en")


@dataclass(frozen=True)
class KelaStatement:
    person: Person
    practice: Practice
    contracts: list[Contract]
    ledger: Ledger
    today: date

    @property
    def current(self) -> Contract:
        """The contract whose rhythm holds now: the latest one that has not ended."""
        running = [contract for contract in self.contracts if self._continues(contract)]
        return (running or self.contracts)[-1]

    @property
    def supervisors(self) -> list[str]:
        return sorted(
            {user.name for contract in self.contracts for user in contract.supervisors.all()}
        )

    @property
    def start_date(self) -> date:
        return min(contract.start_date for contract in self.contracts)

    @property
    def per_month(self) -> str:
        """Meetings a month at the agreed rhythm, to one decimal (every 3 weeks: 1,4)."""
        return decimal_fi(WEEKS_IN_MONTH / Decimal(self.current.rhythm_weeks), 1)

    @property
    def frequency(self) -> str:
        contract = self.current
        every = ngettext("every week", "every %(weeks)s weeks", contract.rhythm_weeks) % {
            "weeks": contract.rhythm_weeks
        }
        return _("about %(per_month)s times a month (%(every)s), %(minutes)s min at a time") % {
            "per_month": self.per_month,
            "every": every,
            "minutes": contract.meeting_minutes,
        }

    @property
    def last_year_meetings(self) -> int:
        since = self.today - timedelta(days=365)
        return sum(1 for row in self.ledger.rows if since < row.day <= self.today)

    def _continues(self, contract: Contract) -> bool:
        return contract.status != Status.ENDED and (
            contract.end_date is None or contract.end_date >= self.today
        )

    @property
    def continues(self) -> bool:
        return any(self._continues(contract) for contract in self.contracts)

    @property
    def continuation(self) -> str:
        if self.continues:
            end = self.current.end_date
            if end is None:
                return _("The supervision continues until further notice.")
            return _("The supervision continues; the contract runs until %(date)s.") % {
                "date": short_date(end)
            }
        ended = max(
            (contract.end_date for contract in self.contracts if contract.end_date),
            default=self.ledger.last_day,
        )
        if ended is None:
            return _("The supervision has ended.")
        return _("The supervision ended on %(date)s.") % {"date": short_date(ended)}


def therapy_contracts(person: Person, contracts: ContractQuerySet) -> list[Contract]:
    """The person's therapy supervision contracts among ``contracts``, oldest first."""
    return list(
        contracts.filter(form=Form.THERAPY, client__members__person=person)
        .exclude(status=Status.DRAFT)
        .prefetch_related(Prefetch("supervisors", queryset=User.objects.order_by("name")))
        .distinct()
        .order_by("start_date", "pk")
    )


def kela_statement(
    person: Person, contracts: ContractQuerySet, practice: Practice, today: date
) -> KelaStatement | None:
    """The statement over her therapy supervision, or None if she is in none."""
    therapy = therapy_contracts(person, contracts)
    if not therapy:
        return None
    ledger = hours_ledger(person, contracts.filter(pk__in=[contract.pk for contract in therapy]))
    return KelaStatement(
        person=person, practice=practice, contracts=therapy, ledger=ledger, today=today
    )


def kela_statement_pdf(statement: KelaStatement, language: str = "fi") -> bytes:
    """The statement as an A4 PDF in Finnish or English. Nothing is fetched."""
    language = language if language in LANGUAGES else "fi"
    with translation.override(language):
        html = render_to_string(
            "billing/pdf/kela_statement.html",
            {"statement": statement, "LANGUAGE_CODE": language},
        )
    document = HTML(string=html, url_fetcher=_no_fetching)
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))]))
