from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tila.practices.access import (
    PracticeRequest,
    current_membership,
    member_required,
    owner_required,
)
from tila.practices.forms import PracticeForm, ServiceForm
from tila.practices.models import Service


def home(request: HttpRequest) -> HttpResponse:
    """Where a user starts: the practice's overview, the supervisees' portal or the
    orderer's view, by who the user is."""
    user = request.user
    if not user.is_authenticated:
        return redirect("account_login")
    if current_membership(request) is not None:
        return redirect("dashboard")
    if hasattr(user, "supervisee_account"):
        return redirect("portal_home")
    if hasattr(user, "orderer_account"):
        return redirect("orderer_home")
    raise PermissionDenied


@member_required
def practice_settings(request: PracticeRequest) -> HttpResponse:
    services = request.membership.practice.services.all()
    return render(
        request,
        "practices/practice.html",
        {
            "services": services,
            "members": request.membership.practice.memberships.select_related("user"),
        },
    )


@owner_required
@require_http_methods(["GET", "POST"])
def edit_practice(request: PracticeRequest) -> HttpResponse:
    practice = request.membership.practice
    form = PracticeForm(request.POST or None, instance=practice)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("The practice's details were saved."))
        return redirect("practice_settings")
    return render(request, "practices/practice_form.html", {"form": form})


@owner_required
@require_http_methods(["GET", "POST"])
def new_service(request: PracticeRequest) -> HttpResponse:
    form = ServiceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service = form.save(commit=False)
        service.practice = request.membership.practice
        service.save()
        messages.success(request, _("The service was added."))
        return redirect("practice_settings")
    return render(request, "practices/service_form.html", {"form": form})


@owner_required
@require_http_methods(["GET", "POST"])
def edit_service(request: PracticeRequest, service_uuid: UUID) -> HttpResponse:
    service = get_object_or_404(
        Service.objects.filter(practice=request.membership.practice), uuid=service_uuid
    )
    form = ServiceForm(request.POST or None, instance=service)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The service was saved."))
        return redirect("practice_settings")
    return render(request, "practices/service_form.html", {"form": form, "service": service})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "errors/500.html", status=500)
