from uuid import UUID

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tila.practices.access import PracticeRequest, member_required
from tila.statements import actions
from tila.statements.access import access_contract_for_statements, access_statement
from tila.statements.forms import StatementForm
from tila.statements.models import Statement
from tila.statements.summaries import read_summary


@member_required
@require_http_methods(["GET", "POST"])
def contract_statements(request: PracticeRequest, contract_uuid: UUID) -> HttpResponse:
    contract = access_contract_for_statements(request.membership, contract_uuid)
    form = StatementForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            statement = actions.create_statement(
                contract=contract, text=form.cleaned_data["text"], actor=request.user
            )
        except actions.StatementError as error:
            messages.error(request, error.message)
        else:
            return redirect("statement_preview", statement.uuid)
    rows = actions.contract_statements(contract)
    return render(
        request,
        "statements/contract_statements.html",
        {"contract": contract, "rows": rows, "form": form},
    )


def _render_preview(
    request: PracticeRequest, statement: Statement, form: StatementForm | None = None
) -> HttpResponse:
    text = actions.read_statement(statement, actor=request.user)
    # A draft is shown as it would be if it were shared now.
    shown = actions.SharedStatement(
        text, statement.released_at or timezone.now(), read_summary(statement.summary)
    )
    if form is None and not statement.is_released:
        form = StatementForm(initial={"text": text})
    context = {"statement": statement, "orderer_statements": [shown], "form": form}
    return render(request, "statements/statement.html", context)


@member_required
def statement_preview(request: PracticeRequest, statement_uuid: UUID) -> HttpResponse:
    return _render_preview(request, access_statement(request.membership, statement_uuid))


@member_required
@require_POST
def edit_statement(request: PracticeRequest, statement_uuid: UUID) -> HttpResponse:
    statement = access_statement(request.membership, statement_uuid)
    form = StatementForm(request.POST)
    if not form.is_valid():
        return _render_preview(request, statement, form)
    try:
        actions.edit_statement(
            statement=statement, text=form.cleaned_data["text"], actor=request.user
        )
    except actions.StatementError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The draft was saved. Check it below before sharing."))
    return redirect("statement_preview", statement.uuid)


@member_required
@require_POST
def release_statement(request: PracticeRequest, statement_uuid: UUID) -> HttpResponse:
    statement = access_statement(request.membership, statement_uuid)
    try:
        actions.release_statement(statement=statement, actor=request.user)
    except actions.StatementError as error:
        messages.error(request, error.message)
        return redirect("statement_preview", statement.uuid)
    messages.success(
        request, _("The statement was shared with the orderer. The supervisees see it too.")
    )
    return redirect("contract_statements", statement.contract.uuid)
