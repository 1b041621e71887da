"""On a phone the directory's filters fold under their summary, so the first screen shows the search box
and the first results; a filter that is set keeps them open (and the summary counts them); on a wide
screen they are always open and the summary is not shown."""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import t
from tests.e2e.signed_in import signed_in_context
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _page(browser, live_server, path, width, language="th"):
    context = signed_in_context(browser, live_server, language=language, width=width)
    page = context.new_page()
    page.goto(live_server.url + path)
    return context, page


def test_the_filters_fold_on_a_phone_and_the_results_come_first(live_server, browser):
    CompanyFactory(name_en="Rayong Molding")
    context, page = _page(browser, live_server, "/directory/", 390)
    country = page.get_by_label(t("th", "Country"), exact=True)
    expect(country).to_be_hidden()
    first = page.get_by_role("heading", name="Rayong Molding")
    assert first.bounding_box()["y"] < 900  # in the first screen
    page.locator("details.more-filters > summary").click()  # one tap opens them
    expect(country).to_be_visible()
    country.select_option("TH")
    page.get_by_role("button", name=t("th", "Search"), exact=True).click()
    expect(page.locator("details.more-filters")).to_have_attribute("open", "")
    expect(page.locator("details.more-filters > summary")).to_contain_text("1")  # one filter set
    context.close()


@pytest.mark.parametrize("language", ["th", "ja"])
def test_on_a_wide_screen_the_filters_are_open_without_a_summary(live_server, browser, language):
    context, page = _page(browser, live_server, "/directory/", 1280, language)
    expect(page.get_by_label(t(language, "Country"), exact=True)).to_be_visible()
    expect(page.locator("details.more-filters > summary")).to_be_hidden()
    context.close()
