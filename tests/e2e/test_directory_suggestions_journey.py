"""A person types in the directory's search box, moves through the suggestions with the arrow keys,
chooses one with Enter and gets the companies; Escape closes the list (issue 18)."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.e2e.helpers import t
from tests.e2e.signed_in import signed_in_context
from tests.e2e.test_accessibility import _violations
from tests.factories import CompanyFactory, link_terms

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.mark.parametrize(
    ("language", "typed", "chosen"), [("ja", "しゃしゅつ", "射出成形"), ("th", "injection", "ฉีดพลาสติก")]
)
def test_typing_and_choosing_a_suggestion_with_the_keyboard(live_server, browser, language, typed, chosen):
    molder = CompanyFactory(name_en="Rayong Molding")
    link_terms(molder, capabilities=["injection-molding"])
    link_terms(CompanyFactory(name_en="Kato Seimitsu"), capabilities=["cnc-machining"])
    context = signed_in_context(browser, live_server, language=language)
    page = context.new_page()
    page.goto(live_server.url + "/directory/")

    box = page.get_by_role("combobox", name=t(language, "Search"))
    box.press_sequentially(typed)
    listbox = page.get_by_role("listbox", name=t(language, "Suggestions"))
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text(chosen)
    assert _violations(page) == []  # axe-core, the list open

    box.press("Escape")  # closes the list, keeps what was typed
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value(typed)

    box.press("ArrowDown")  # opens it again
    expect(listbox).to_be_visible()
    box.press("ArrowDown")  # and selects the first option
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/directory/\?q="))
    expect(page.get_by_role("combobox", name=t(language, "Search"))).to_have_value(chosen)
    results = page.get_by_role("region", name=t(language, "Results"))
    expect(results.get_by_role("heading", name="Rayong Molding")).to_be_visible()
    expect(results.get_by_text("Kato Seimitsu")).to_have_count(0)
    context.close()
