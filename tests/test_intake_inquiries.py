"""The supervisor's side of inquiries: the list, the page, the crisis pin and conversion."""

import time_machine
from django.urls import reverse

from tests.factories import at
from tests.intake_helpers import make_inquiry, publish
from tila.audit.models import AuditEvent
from tila.contracts.models import Contract, Status
from tila.intake.models import Inquiry, InquiryStatus
from tila.practices.models import Form


def crisis(world, **extra) -> Inquiry:
    publish(world.practice, world.owner)
    with time_machine.travel(at(2026, 11, 20, 10), tick=False):
        return make_inquiry(world.practice, event_at=at(2026, 11, 20, 7, 30), **extra)


def test_the_dashboard_pins_a_crisis_with_the_time_since_the_event(world, owner_client):
    inquiry = crisis(world)
    with time_machine.travel(at(2026, 11, 20, 10, 15), tick=False):
        html = owner_client.get(reverse("dashboard")).content.decode()
    assert "Kriisiyhteydenotot" in html
    assert reverse("inquiry", args=[inquiry.uuid]) in html
    assert "Tapahtumasta 2 h 45 min" in html
    assert "Purkukeskustelu: nyt" in html
    assert "Jälkipuinti: tulossa" in html
    assert "la 21.11.2026 klo 7.30" in html and "ma 23.11.2026 klo 7.30" in html
    with time_machine.travel(at(2026, 11, 22, 9), tick=False):
        html = owner_client.get(reverse("dashboard")).content.decode()
    assert "Tapahtumasta 2 vrk 1 h" in html
    assert "Purkukeskustelu: ohi" in html and "Jälkipuinti: nyt" in html


def test_another_practice_does_not_see_the_crisis(world, other_client):
    crisis(world)
    assert "Kriisiyhteydenotot" not in other_client.get(reverse("dashboard")).content.decode()


def test_a_supervisor_reads_the_need_and_the_read_is_logged(world, owner_client):
    inquiry = make_inquiry(world.practice)
    html = owner_client.get(reverse("inquiry", args=[inquiry.uuid])).content.decode()
    assert "työnjako on epäselvä" in html
    assert AuditEvent.objects.filter(
        object_id=str(inquiry.uuid), action="read", actor=world.owner
    ).exists()


def test_an_assistant_sees_the_inquiry_but_not_the_need(world, assistant_client):
    inquiry = make_inquiry(world.practice)
    html = assistant_client.get(reverse("inquiry", args=[inquiry.uuid])).content.decode()
    assert "Kaisa Esimies" in html
    assert "työnjako" not in html
    response = assistant_client.post(reverse("convert_inquiry", args=[inquiry.uuid]), {})
    assert response.status_code == 403


def test_an_inquiry_becomes_a_client_and_a_trial_contract_in_one_step(world, owner_client):
    inquiry = make_inquiry(world.practice, preferred_times="tiistaisin", group_size=8)
    response = owner_client.post(
        reverse("convert_inquiry", args=[inquiry.uuid]),
        {
            "client_name": "Päiväkoti Satakieli, tiimi",
            "title": "Kartoitus",
            "meeting_count": "2",
            "start_date": "2026-12-01",
        },
    )
    contract = Contract.objects.get(title="Kartoitus")
    assert response.status_code == 302
    assert response["Location"] == reverse("contract", args=[contract.uuid])
    assert contract.status == Status.TRIAL
    assert contract.form == Form.TEAM
    assert contract.meeting_count == 2
    assert contract.place_kind == "on_site"
    assert "tiistaisin" in contract.scheduling
    assert contract.service == world.service  # the catalogue's team service
    assert [line.unit_price for line in contract.price_lines.all()] == [world.service.price]
    assert list(contract.supervisors.all()) == [world.owner]
    assert contract.client.kind == "team"
    assert contract.organisation is not None
    assert contract.organisation.name == "Päiväkoti Satakieli"
    assert contract.orderer_contact is not None
    assert contract.orderer_contact.email == "kaisa@example.test"
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.contract) == (InquiryStatus.CONVERTED, contract)
    again = owner_client.post(
        reverse("convert_inquiry", args=[inquiry.uuid]),
        {"client_name": "X", "title": "Toinen", "meeting_count": "2", "start_date": "2026-12-01"},
    )
    assert again.status_code == 302
    assert not Contract.objects.filter(title="Toinen").exists()


def test_a_crisis_inquiry_becomes_a_crisis_contract(world, owner_client):
    inquiry = crisis(world)
    owner_client.post(
        reverse("convert_inquiry", args=[inquiry.uuid]),
        {
            "client_name": "Satakieli",
            "title": "Kriisi",
            "meeting_count": "3",
            "start_date": "2026-11-20",
        },
    )
    contract = Contract.objects.get(title="Kriisi")
    assert (contract.form, contract.meeting_count, contract.rhythm_weeks) == (Form.CRISIS, 3, 1)
    assert contract.end_date is not None
    assert "20.11.2026 07.30" in contract.scheduling
    # Converted crises are no longer pinned.
    with time_machine.travel(at(2026, 11, 20, 11), tick=False):
        assert "Kriisiyhteydenotot" not in owner_client.get(reverse("dashboard")).content.decode()


def test_the_owner_publishes_the_page_and_sets_the_bookable_hours(world, owner_client):
    from tila.intake.models import Availability

    url = reverse("edit_availability")
    assert owner_client.get(url).status_code == 200
    data = {
        "published": "on",
        "booking_open": "on",
        "supervisor": str(world.colleague.pk),
        "slot_minutes": "45",
        "buffer_minutes": "15",
        "min_notice_hours": "48",
        "horizon_days": "21",
        "how": "Videolla",
        "starts_1": "09:00",
        "ends_1": "11:00",
        "starts_3": "14:00",
        "ends_3": "13:00",
        "days_off": "24.12.2026\n28.12.2026–31.12.2026",
    }
    response = owner_client.post(url, data)
    assert "Ajan pitää päättyä alkamisen jälkeen." in response.content.decode()
    response = owner_client.post(url, {**data, "days_off": "31.2.2026", "ends_3": "16:00"})
    assert "Tämä rivi ei ole päivä eikä jakso: 31.2.2026" in response.content.decode()
    response = owner_client.post(url, {**data, "ends_3": "16:00"})
    assert response.status_code == 302
    availability = Availability.objects.get(practice=world.practice)
    assert availability.published and availability.supervisor == world.colleague
    hours = [(h.weekday, h.starts.hour, h.ends.hour) for h in availability.weekly_hours.all()]
    assert hours == [(1, 9, 11), (3, 14, 16)]
    assert [(d.first_day.day, d.last_day.day) for d in availability.days_off.all()] == [
        (24, 24),
        (28, 31),
    ]
    assert owner_client.get(reverse("public_page", args=[world.practice.slug])).status_code == 200
