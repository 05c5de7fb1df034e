"""Panels that later apps pin to the top of the dashboard.

The dashboard belongs to meetings, but some of what must be seen first comes from apps that
depend on meetings (a crisis inquiry from ``tila.intake``). Those apps register a panel in
their ``AppConfig.ready()``; the arrows between apps keep pointing one way::

    register_panel(crisis_panel)

A panel takes the member's request and returns HTML to show, or "" for nothing.
"""

from collections.abc import Callable

from django.utils.safestring import SafeString

from tila.practices.access import PracticeRequest

Panel = Callable[[PracticeRequest], SafeString | str]

_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> None:
    """Add ``panel`` to the dashboard; registering the same function again replaces it."""
    _panels[f"{panel.__module__}.{panel.__qualname__}"] = panel


def pinned_panels(request: PracticeRequest) -> list[SafeString | str]:
    return [html for panel in _panels.values() if (html := panel(request))]
