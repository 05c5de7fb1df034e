from collections.abc import Iterable

from django import template

from tila.clients.models import ClientMember
from tila.portal.models import SuperviseeAccount

register = template.Library()


@register.simple_tag
def invited_people(members: Iterable[ClientMember]) -> set[int]:
    """Ids of the members' people who have a portal login, in one query."""
    person_ids = [member.person_id for member in members]
    return set(
        SuperviseeAccount.objects.filter(person_id__in=person_ids).values_list(
            "person_id", flat=True
        )
    )
