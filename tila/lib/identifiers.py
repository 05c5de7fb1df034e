"""Finding what must not be written into supervision notes. Pure functions.

Therapy supervision is about the supervisee's clients, whom the supervisor must not
identify in her notes: no personal identity codes (henkilötunnus), and pseudonyms instead
of names."""

import re

from stdnum.exceptions import ValidationError
from stdnum.fi import hetu

# DDMMYY, a century sign (+, -, A–F, U–Y), three digits and a check character.
_IDENTITY_CODE = re.compile(r"\b\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]\b", re.IGNORECASE)

# Two or three capitalised words in a row, e.g. "Maija Meikäläinen". Words that begin a
# sentence or a line are not counted as a first name, to keep false alarms down.
_CAPITALISED = r"[A-ZÅÄÖÜÉ][a-zåäöüé]+(?:-[A-ZÅÄÖÜÉ][a-zåäöüé]+)?"
_FULL_NAME = re.compile(rf"(?<![.!?:\n]\s)(?<!^)\b({_CAPITALISED}(?:\s+{_CAPITALISED}){{1,2}})\b")


def identity_codes(text: str) -> list[str]:
    """Valid Finnish personal identity codes in the text, temporary ones included."""
    return [match for match in _IDENTITY_CODE.findall(text) if _is_identity_code(match)]


def _is_identity_code(candidate: str) -> bool:
    try:
        hetu.validate(candidate, allow_temporary=True)
    except ValidationError:
        return False
    return True


def full_names(text: str) -> list[str]:
    """Runs of capitalised words that look like a person's full name."""
    found: list[str] = []
    for line in text.splitlines():
        for match in _FULL_NAME.finditer(line):
            if match.start() == 0:
                continue
            name = match.group(1)
            if name not in found:
                found.append(name)
    return found
