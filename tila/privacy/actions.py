"""Export and erasure of one person's data (GDPR Art. 15, 20 and 17).

Each is one transaction with one audit event (``export`` or ``erase``) on top of the events
the providers write (each note read, each topic deleted)."""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tila.accounts.models import User
from tila.audit.actions import record_event
from tila.audit.models import Action, AuditEvent
from tila.clients.models import Contact, Person
from tila.lib.privacy import Counts, PlanLine
from tila.practices.models import Practice
from tila.privacy.export import build_zip
from tila.privacy.providers import PROVIDERS, Subject


def subject_type(subject: Subject) -> str:
    return "clients.Contact" if isinstance(subject, Contact) else "clients.Person"


def practice_of(subject: Subject) -> Practice:
    if isinstance(subject, Person):
        return subject.practice
    return subject.organisation.practice


def pseudonym_for(subject: Subject) -> str:
    """ "Poistettu henkilö 3F2A": stored data, so in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased person %(code)s") % {"code": subject.uuid.hex[:4].upper()}


def erased_at(subject: Subject) -> AuditEvent | None:
    """The erasure event, if the person was erased."""
    return (
        AuditEvent.objects.filter(
            object_type=subject_type(subject), object_id=str(subject.uuid), action=Action.ERASE
        )
        .order_by("-sequence")
        .first()
    )


def export_subject(*, subject: Subject, actor: User) -> tuple[str, bytes]:
    """The person's data as a zip (JSON and a readable HTML page) and its file name."""
    practice = practice_of(subject)
    with transaction.atomic():
        sections = [
            section
            for provider in PROVIDERS
            for section in provider.export_person(subject, actor=actor)
        ]
        record_event(
            actor=actor,
            practice=practice,
            object_type=subject_type(subject),
            object_id=str(subject.uuid),
            action=Action.EXPORT,
            detail={
                "sections": len(sections),
                "records": sum(len(section.records) for section in sections),
            },
        )
    generated = timezone.now()
    content = build_zip(subject=subject, practice=practice, sections=sections, at=generated)
    filename = f"tila-{subject.uuid.hex[:8]}-{timezone.localdate(generated):%Y-%m-%d}.zip"
    return filename, content


def erasure_plan(subject: Subject) -> tuple[list[PlanLine], list[PlanLine]]:
    """What erasing the person removes, and what stays (with the reason)."""
    lines = [line for provider in PROVIDERS for line in provider.plan_erasure(subject)]
    return [line for line in lines if line.erase], [line for line in lines if not line.erase]


def erase_subject(*, subject: Subject, actor: User) -> str:
    """Erase the person's data everywhere, in one transaction; returns her pseudonym."""
    pseudonym = pseudonym_for(subject)
    with transaction.atomic():
        counts: Counts = {}
        for provider in reversed(PROVIDERS):
            for key, value in provider.erase_person(
                subject, actor=actor, pseudonym=pseudonym
            ).items():
                counts[key] = counts.get(key, 0) + value
        record_event(
            actor=actor,
            practice=practice_of(subject),
            object_type=subject_type(subject),
            object_id=str(subject.uuid),
            action=Action.ERASE,
            detail={key: value for key, value in sorted(counts.items()) if value},
        )
    return pseudonym
