"""Finnish first, English complete: every string is extracted, translated and compiled."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "tila" / "locale"
LANGUAGES = ("fi", "en")

needs_gettext = pytest.mark.skipif(
    shutil.which("msgfmt") is None or shutil.which("xgettext") is None,
    reason="gettext is needed (apt-get install gettext)",
)


def catalogue(language: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def key(entry: polib.POEntry) -> tuple[str | None, str]:
    return (entry.msgctxt, entry.msgid)


@pytest.mark.parametrize("language", ["fi"])
def test_every_string_has_a_translation(language):
    po = catalogue(language)
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert not untranslated, f"{language}: untranslated: {untranslated[:20]}"
    assert not fuzzy, f"{language}: fuzzy: {fuzzy[:20]}"


def test_placeholders_survive_translation():
    for entry in catalogue("fi").translated_entries():
        for placeholder in ("%(", "{{"):
            if placeholder in entry.msgid:
                assert placeholder in (entry.msgstr or entry.msgstr_plural.get(0, "")), entry.msgid


@needs_gettext
def test_catalogues_hold_exactly_the_strings_in_the_code(tmp_path):
    """makemessages on a copy of the code finds no string that the catalogues lack."""
    copy = tmp_path / "project"
    shutil.copytree(ROOT / "tila", copy / "tila", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", copy / "manage.py")
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "--locale",
            "fi",
            "--locale",
            "en",
            "--no-obsolete",
            "--no-location",
            "--verbosity",
            "0",
        ],
        cwd=copy,
        check=True,
        env={"PATH": "/usr/bin:/bin", "TILA_VAR_DIR": str(tmp_path / "var")},
    )
    for language in LANGUAGES:
        fresh = polib.pofile(str(copy / "tila" / "locale" / language / "LC_MESSAGES" / "django.po"))
        committed = {key(entry) for entry in catalogue(language) if not entry.obsolete}
        extracted = {key(entry) for entry in fresh if not entry.obsolete}
        assert extracted - committed == set(), f"{language}: run `make messages`"
        assert committed - extracted == set(), f"{language}: stale strings; run `make messages`"


@needs_gettext
@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogues_match_the_sources(language, tmp_path):
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    compiled = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603
        ["msgfmt", "--check-format", "-o", str(compiled), str(source)],  # noqa: S607
        check=True,
    )
    committed = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert committed.read_bytes() == compiled.read_bytes(), "run `make messages`"
