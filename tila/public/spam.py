"""Spam protection without third-party services: a honeypot field, a signed timestamp that
tells how long the form was open, and a per-address rate limit kept in the cache."""

import time

from django import forms
from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from tila.lib.rate_limit import count_hit

SALT = "tila.public.form-started"
# A person needs a few seconds to fill in a form; a form older than a day is stale.
MIN_SECONDS = 3
MAX_SECONDS = 24 * 60 * 60
RATE_WINDOW_SECONDS = 60 * 60


def started_token(at: float | None = None) -> str:
    """A signed note of when the form was shown."""
    return signing.dumps({"t": int(at if at is not None else time.time())}, salt=SALT)


def seconds_open(token: str) -> float | None:
    """How long ago the form was shown, or None for a missing or forged token."""
    try:
        shown = signing.loads(token, salt=SALT)["t"]
    except (signing.BadSignature, KeyError, TypeError):
        return None
    return time.time() - float(shown)


def rate_limited(request: HttpRequest, scope: str) -> bool:
    """Count one submission from the client's address (see ``tila.lib.client_address``);
    True when over the limit for the hour."""
    limit = int(getattr(settings, "TILA_PUBLIC_FORM_LIMIT", 10))
    return count_hit(request, f"public:{scope}", limit=limit, window=RATE_WINDOW_SECONDS)


class SpamCheckedForm(forms.Form):
    """A form with the honeypot and the timestamp. ``is_bot`` is set when the honeypot is
    filled: the view then pretends success and stores nothing."""

    # Hidden from people (CSS and aria-hidden); bots fill in every field they find.
    website = forms.CharField(required=False, label=_("Leave this field empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    is_bot = False

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        if not self.is_bound:
            self.initial["started"] = started_token()

    def clean_website(self) -> str:
        value: str = self.cleaned_data.get("website", "")
        if value:
            self.is_bot = True
        return value

    def clean_started(self) -> str:
        token: str = self.cleaned_data["started"]
        elapsed = seconds_open(token)
        if elapsed is None or elapsed > MAX_SECONDS:
            raise forms.ValidationError(
                _("The form had been open too long. Check your answers and send it again.")
            )
        if elapsed < getattr(settings, "TILA_PUBLIC_FORM_MIN_SECONDS", MIN_SECONDS):
            raise forms.ValidationError(
                _("The form was sent very quickly. Check your answers and send it again.")
            )
        return token

    def renew_token(self) -> None:
        """After an error the form is shown again: it gets a fresh timestamp."""
        data = self.data.copy()  # type: ignore[attr-defined]
        data["started"] = started_token()
        self.data = data
