"""A round's printable report (PDF): nothing below k, the same results as the page from k."""

import io
import re

from django.test import Client as HttpClient
from django.urls import reverse
from pypdf import PdfReader

from tests.evaluations_helpers import answer_as, feedback_round
from tests.factories import World
from tila.audit.models import Action, AuditEvent

SECRET = "Salainen ajatus tiimistä"


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", text.replace("\u00a0", " "))


def report(owner_client: HttpClient, evaluation: object) -> object:
    return owner_client.get(reverse("evaluation_report", args=[evaluation.uuid]))  # type: ignore[attr-defined]


def test_below_k_there_is_no_report(world: World, owner_client: HttpClient) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    answer_as(evaluation, 0, 9, SECRET)
    answer_as(evaluation, 1, 7)
    response = report(owner_client, evaluation)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == reverse("evaluation_round", args=[evaluation.uuid])  # type: ignore[index]
    page = owner_client.get(response["Location"]).content.decode()  # type: ignore[index]
    assert "vähintään 3" in page or "at least 3" in page
    assert "report.pdf" not in page


def test_from_k_the_report_holds_the_rounds_results(world: World, owner_client: HttpClient) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    for index, (number, text) in enumerate([(6, SECRET), (8, ""), (10, "Kolmas ajatus")]):
        answer_as(evaluation, index, number, text)
    page = owner_client.get(reverse("evaluation_round", args=[evaluation.uuid])).content.decode()
    assert reverse("evaluation_report", args=[evaluation.uuid]) in page
    reads_before = AuditEvent.objects.filter(action=Action.READ).count()

    response = report(owner_client, evaluation)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/pdf"  # type: ignore[index]
    content = response.content  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF")
    text = pdf_text(content)
    assert evaluation.questionnaire.title in text
    assert world.contract.title in text
    assert world.owner.name in text
    assert "Tulin kuulluksi." in text or "I felt heard." in text
    assert "8,0" in text  # the mean, in Finnish
    assert SECRET in text and "Kolmas ajatus" in text
    # Opening the free texts for the report is a read of the answers, logged like the page's.
    assert AuditEvent.objects.filter(action=Action.READ).count() == reads_before + 1


def test_another_supervisor_gets_404(world: World, other_client: HttpClient) -> None:
    evaluation = feedback_round(world.contract, world.owner)
    for index in range(3):
        answer_as(evaluation, index, 5)
    assert report(other_client, evaluation).status_code == 404  # type: ignore[attr-defined]
