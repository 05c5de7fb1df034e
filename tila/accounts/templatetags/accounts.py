from django import template
from django.utils.translation import gettext as _

register = template.Library()

# First match wins: Edge and Opera also name Chrome, Chrome also names Safari.
BROWSERS = [("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
            ("Chromium/", "Chromium"), ("Safari/", "Safari")]  # fmt: skip
SYSTEMS = [("Android", "Android"), ("iPhone", "iPhone"), ("iPad", "iPad"), ("Windows", "Windows"),
           ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux")]  # fmt: skip


@register.filter
def device(user_agent: str) -> str:
    """A browser's User-Agent as people name it: "Firefox, Windows"."""
    browser = next((name for key, name in BROWSERS if key in user_agent), None)
    system = next((name for key, name in SYSTEMS if key in user_agent), None)
    known = [part for part in (browser, system) if part]
    return ", ".join(known) if known else _("Unknown browser")
