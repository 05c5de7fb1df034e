from typing import Any

from django.http import HttpRequest


def practice(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    return {"membership": membership, "practice": membership.practice if membership else None}
