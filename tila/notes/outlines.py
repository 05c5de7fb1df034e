"""Structured starting points for notes: headings the supervisor writes under."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Outline:
    key: str
    label: Promise
    headings: tuple[Promise, ...]

    def text(self) -> str:
        return "\n\n".join(f"{heading}:\n" for heading in self.headings)


OUTLINES = {
    outline.key: outline
    for outline in (
        Outline("blank", _("Empty"), ()),
        Outline(
            "meeting",
            _("Meeting"),
            (
                _("Opening round"),
                _("Topics"),
                _("Method used"),
                _("Agreements"),
                _("My own reflections"),
            ),
        ),
        Outline(
            "summary",
            _("Shared summary"),
            (_("What we worked on"), _("What we agreed"), _("Next time")),
        ),
        Outline(
            "debriefing",
            _("Crisis debriefing"),
            (
                _("Facts: what happened"),
                _("Thoughts"),
                _("Reactions"),
                _("Normalising information given"),
                _("Looking forward: support and follow-up"),
            ),
        ),
    )
}
