from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest

PAGE_SIZE = 25


def paginate(request: HttpRequest, items: QuerySet[Any], per_page: int = PAGE_SIZE) -> Page[Any]:
    """The requested page; out-of-range or malformed page numbers give the nearest page."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def search_query(request: HttpRequest) -> str:
    return request.GET.get("q", "").strip()[:100]
