"""A coordinator goes from a company's page to assigning it a consultant: the page's Shindan panel leads to
the assignment form with the company filled in; there, typing part of another company's name offers it,
the arrow keys and Enter choose it (the form is not sent), and the assignment is made."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from shindan.models import Assignment
from tests.e2e.helpers import label, t
from tests.e2e.signed_in import signed_in_context
from tests.e2e.test_accessibility import _violations
from tests.factories import CompanyFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(("language", "width"), [("th", 390), ("ja", 1280)])
def test_assigning_a_consultant_by_name(live_server, browser, language, width):
    cache.clear()
    first = CompanyFactory(name_en="Rayong Molding", name_th="ระยองโมลดิ้ง")
    chosen = CompanyFactory(country="JP", name_en="Kato Seimitsu", name_ja="加藤精密株式会社")
    consultant = UserFactory(role="consultant", first_name="Somchai", last_name="Wongsa")
    coordinator = UserFactory(role="coordinator")
    context = signed_in_context(browser, live_server, coordinator, language=language, width=width)
    page = context.new_page()

    page.goto(f"{live_server.url}/directory/{first.pk}/")
    panel = page.get_by_role("region", name=t(language, "Shindan"))
    expect(panel).to_contain_text(t(language, "No consultant is assigned to this company."))
    panel.get_by_role("link", name=t(language, "Assign a consultant")).click()
    expect(page).to_have_url(re.compile(r"/shindan/assignments/\?company=\d{13}#id_company$"))
    box = page.get_by_role("combobox", name=label(t(language, "Company")))
    expect(box).to_have_value(first.registration_no)

    box.fill("")
    box.press_sequentially("加藤" if language == "ja" else "kato")
    listbox = page.get_by_role("listbox", name=t(language, "Companies"))
    option = listbox.get_by_role("option").first
    expect(option).to_contain_text("加藤精密株式会社" if language == "ja" else "Kato Seimitsu")
    assert _violations(page) == []  # axe-core, the list open
    box.press("ArrowDown")
    box.press("Enter")
    expect(listbox).to_be_hidden()
    expect(box).to_have_value(chosen.registration_no)
    assert "/shindan/assignments/" in page.url
    assert not Assignment.objects.exists()

    page.get_by_label(label(t(language, "Consultant"))).select_option(str(consultant.pk))
    page.get_by_role("button", name=t(language, "Assign"), exact=True).click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text(
        t(language, "The consultant was assigned.")
    )
    assert Assignment.objects.get().company == chosen
    context.close()
