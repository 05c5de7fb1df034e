"""The owner exports one team member's data (confirming her password) and erases another
after the preview; the pages work at 375 px."""

import json
import zipfile

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, screenshot
from tests.factories import PASSWORD
from tests.privacy_helpers import NAME, SUMMARY, TOPIC, build_scene
from tila.clients.models import Person
from tila.topics.models import Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def confirm_password(page) -> None:
    page.get_by_role("link", name="Vahvista salasanalla").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form[action$='/reauthenticate/'] button[type=submit]").click()


def test_owner_exports_one_member_and_erases_another(page, world, tmp_path):
    scene = build_scene(world)
    other = scene.others[0].person
    log_in(page, world.owner.email, PASSWORD)

    page.goto(f"/clients/{world.client.uuid}/")
    page.get_by_role("link", name=f"Tietosuoja {NAME}").click()
    page.wait_for_url(f"**/privacy/{scene.person.uuid}/")
    expect(page.get_by_role("heading", name=f"Henkilön {NAME} tiedot")).to_be_visible()
    screenshot(page, "privacy-person")

    confirm_password(page)
    page.wait_for_url(f"**/privacy/{scene.person.uuid}/")
    with page.expect_download() as info:
        page.get_by_role("link", name="Lataa tiedot").click()
    path = tmp_path / "export.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        data = json.loads(archive.read("tiedot.json"))
        html = archive.read("tiedot.html").decode()
    keys = {section["key"] for section in data["sections"]}
    assert {"person", "memberships", "topics", "shared_summaries", "portal_account"} <= keys
    assert TOPIC in json.dumps(data, ensure_ascii=False)
    assert SUMMARY in html and f"Tiedot henkilöstä {NAME}" in html
    export_page = tmp_path / "tiedot.html"
    export_page.write_text(html)
    page.goto(export_page.as_uri())
    screenshot(page, "privacy-export-html")

    page.goto(f"/privacy/{other.uuid}/")
    page.get_by_role("link", name="Poista henkilön tiedot…").click()
    page.wait_for_url(f"**/privacy/{other.uuid}/erase/")
    expect(page.get_by_text("1 lähetetty aihe")).to_be_visible()
    screenshot(page, "privacy-erase-preview")
    page.get_by_role("button", name="Poista lopullisesti").click()
    expect(page.get_by_text("Vahvista poisto rastittamalla ruutu.")).to_be_visible()
    page.get_by_label("Ymmärrän, ettei poistettuja tietoja voi palauttaa.").check()
    page.get_by_role("button", name="Poista lopullisesti").click()
    page.wait_for_url(f"**/privacy/{other.uuid}/")
    expect(page.get_by_text("Henkilön tiedot poistettiin.")).to_be_visible()
    screenshot(page, "privacy-erased")

    other.refresh_from_db()
    assert other.name.startswith("Poistettu henkilö ") and other.email == ""
    assert not Topic.objects.filter(person=other).exists()
    assert Person.objects.get(pk=scene.person.pk).name == NAME  # the exported one stays


def test_privacy_pages_fit_a_phone(phone_page, world):
    scene = build_scene(world)
    log_in(phone_page, world.owner.email, PASSWORD)
    for url, name in [
        (f"/privacy/{scene.person.uuid}/", "privacy-person-phone"),
        (f"/privacy/{scene.person.uuid}/erase/", "privacy-erase-phone"),
        ("/practice/retention/", "privacy-retention-phone"),
    ]:
        phone_page.goto(url)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 375, url
        screenshot(phone_page, name)
