"""A round's printable report: the same results as its page, as an A4 PDF (WeasyPrint).

Built only from ``round_results``, so below the round's threshold there is no report at all."""

import logging
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone, translation

from tila.accounts.models import User
from tila.evaluations.models import EvaluationRound
from tila.evaluations.results import chart_description, round_results

# WeasyPrint reports each layout step at INFO; a server log needs none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import CSS, HTML  # noqa: E402

STYLESHEET = Path(__file__).with_name("report.css")


def report_html(evaluation: EvaluationRound, *, actor: User) -> str | None:
    results = round_results(evaluation, actor=actor)
    if not results.visible:
        return None
    return render_to_string(
        "evaluations/pdf/report.html",
        {
            "evaluation": evaluation,
            "results": results,
            "items": [(result, chart_description(result)) for result in results.items],
            "supervisors": list(evaluation.contract.supervisors.all()),
            "made_on": timezone.localdate(),
            "LANGUAGE_CODE": translation.get_language(),
        },
    )


def report_pdf(evaluation: EvaluationRound, *, actor: User) -> bytes | None:
    """The PDF bytes, or None while fewer than k have answered. Nothing is fetched."""
    html = report_html(evaluation, actor=actor)
    if html is None:
        return None
    document = HTML(string=html, url_fetcher=_no_fetching)
    return bytes(document.write_pdf(stylesheets=[CSS(filename=str(STYLESHEET))]))


def _no_fetching(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"the evaluation report loads nothing from outside: {url}")
