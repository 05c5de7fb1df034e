import os

import pytest

from tests.factories import make_organisation
from tila.clients.models import Organisation
from tila.lib.sqlite.base import unicode_like


@pytest.mark.parametrize(
    ("pattern", "value", "matches"),
    [
        ("%äänekosk%", "Äänekosken kaupunki", True),
        ("%ÖHMAN%", "Anna Öhman", True),
        ("%åbo%", "Åbo Akademi", True),
        ("%kuopio%", "Tampere", False),
        ("a_c", "ABC", True),
        ("a_c", "abbc", False),
        (r"100\%", "100%", True),
        (r"100\%", "1000", False),
    ],
)
def test_like_folds_the_case_of_every_letter(pattern, value, matches):
    escape = "\\" if "\\" in pattern else None
    assert unicode_like(pattern, value, escape) is matches


def test_like_with_null_is_null():
    assert unicode_like(None, "x") is None
    assert unicode_like("%x%", None) is None


@pytest.mark.django_db
def test_search_finds_names_with_scandinavian_letters_in_any_case(world):
    make_organisation(world.practice, "Äänekosken kaupunki")
    for query in ("äänekosk", "ÄÄNEKOSK", "Äänekosken"):
        found = Organisation.objects.filter(practice=world.practice, name__icontains=query)
        assert [o.name for o in found] == ["Äänekosken kaupunki"], (
            query,
            os.environ.get("DATABASE_URL"),
        )
