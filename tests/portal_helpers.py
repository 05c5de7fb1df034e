"""Shared set-up for the supervisees' portal tests."""

import time_machine
from django.test import Client as HttpClient

from tests.factories import at
from tila.accounts.models import User
from tila.clients.models import ClientMember
from tila.contracts.models import Contract
from tila.portal.actions import invite_supervisee


def mid_november() -> time_machine.travel:
    """Two weeks before the world's meeting of 1.12.2026, whatever today is."""
    return time_machine.travel(at(2026, 11, 15, 12), tick=False)


def member_of(contract: Contract, index: int = 0) -> ClientMember:
    members = list(contract.client.members.select_related("person").order_by("person__name"))
    return members[index]


def log_in_as(member: ClientMember, inviter: User) -> HttpClient:
    """The member as an invited supervisee, logged in."""
    account = invite_supervisee(member=member, actor=inviter)
    http = HttpClient()
    http.force_login(account.user)
    return http
