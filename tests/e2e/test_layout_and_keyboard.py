"""How the portal's shell and forms look and behave in Chromium: the header on a desktop and on a phone,
the language switcher, error summaries, focus rings, the sticky Save bar, and the layouts found broken
(registration step 3, vetting, the overdue table, the assignments, the home page cards, the directory
search)."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.companies.models import VerificationStatus
from shindan import services
from shindan.models import Assignment
from tests.e2e.helpers import t
from tests.e2e.signed_in import contrast, signed_in_context, tp
from tests.factories import CompanyFactory, MatchProposalFactory, MembershipFactory, UserFactory


def _users() -> dict:
    company = CompanyFactory(name_en="Siam Precision Mold Co., Ltd.", name_th="บริษัท สยามพรีซิชั่นโมลด์ จำกัด")
    consultant = UserFactory(role=Role.CONSULTANT)
    Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2020, 1, 1))
    admin = UserFactory(email="admin@example.com")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    return {
        "member": MembershipFactory(company=company).user,
        "coordinator": UserFactory(role=Role.COORDINATOR),
        "consultant": consultant,
        "admin": admin,
    }


def _rows(page, selector: str) -> set[int]:
    """The distinct rows (vertical middles, to 12 px) that the elements matching ``selector`` sit on."""
    return set(
        page.locator(selector).evaluate_all(
            "els => els.map(e => e.getBoundingClientRect()).map(r => Math.round((r.top + r.bottom) / 24))"
        )
    )


@pytest.mark.parametrize("language", ["th", "ja"])
def test_header_fits_one_row_at_1280_px_for_every_role(live_server, browser, language):
    users = _users()
    for role, user in users.items():
        context = signed_in_context(browser, live_server, user, language=language)
        page = context.new_page()
        page.goto(live_server.url + "/dashboard/")

        items = ".site-nav > ul > li, .lang-switch, .site-header .bell"
        assert page.locator(".site-nav > ul > li").count() >= 4, role
        assert len(_rows(page, items)) == 1, (role, page.locator(".site-nav").inner_text())
        assert page.locator(".site-header").bounding_box()["height"] <= 72, role
        context.close()


def test_phone_header_folds_the_menu_behind_a_button(live_server, browser):
    user = UserFactory(role=Role.COORDINATOR)
    context = signed_in_context(browser, live_server, user, language="th", width=390)
    page = context.new_page()
    page.goto(live_server.url + "/")
    vetting = page.get_by_role("link", name=t("th", "Vetting"), exact=True)
    button = page.get_by_role("button", name=t("th", "Menu"))

    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "site-menu")
    expect(vetting).to_be_hidden()
    assert page.locator(".site-header").bounding_box()["height"] <= 80

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    vetting.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("th", "Vetting queue"))

    # Escape closes the open menu and gives the focus back to the button.
    page.get_by_role("button", name=t("th", "Menu")).click()
    page.get_by_role("link", name=t("th", "Events"), exact=True).focus()
    page.keyboard.press("Escape")
    expect(page.get_by_role("button", name=t("th", "Menu"))).to_be_focused()
    expect(page.get_by_role("link", name=t("th", "Events"), exact=True)).to_be_hidden()
    context.close()


def test_phone_menu_is_open_without_javascript(live_server, browser):
    user = UserFactory(role=Role.COORDINATOR)
    context = signed_in_context(
        browser, live_server, user, language="ja", width=390, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live_server.url + "/")

    expect(page.get_by_role("button", name=t("ja", "Menu"))).to_be_hidden()
    page.get_by_role("link", name=t("ja", "Vetting"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(t("ja", "Vetting queue"))
    context.close()


def test_desktop_menus_open_by_keyboard_and_close_with_escape(live_server, browser):
    user = UserFactory(role=Role.COORDINATOR)
    context = signed_in_context(browser, live_server, user, language="en")
    page = context.new_page()
    page.goto(live_server.url + "/")
    more = page.locator(".site-nav summary", has_text="More")

    more.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Coordinator desk", exact=True)).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Coordinator desk", exact=True)).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.get_by_role("link", name="Coordinator desk", exact=True)).to_be_hidden()
    expect(more).to_be_focused()
    context.close()


def test_language_switcher_changes_nothing_until_its_button_is_pressed(live_server, browser):
    context = signed_in_context(browser, live_server, language="en")
    page = context.new_page()
    page.goto(live_server.url + "/directory/")
    switcher = page.get_by_label("Language")

    switcher.focus()
    page.keyboard.press("ArrowDown")
    page.wait_for_timeout(700)
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.url.endswith("/directory/")

    switcher.select_option("ja")
    page.wait_for_timeout(300)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("button", name=tp("en", "apply the chosen language", "Switch")).click()
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    assert page.url.endswith("/directory/")
    context.close()


def test_focus_rings_have_three_to_one_contrast(live_server, browser):
    context = signed_in_context(browser, live_server, language="en")
    page = context.new_page()
    page.goto(live_server.url + "/")

    def ring_and_background(locator) -> tuple[str, str]:
        return locator.evaluate(
            """el => {
                let node = el.parentElement, background = 'rgba(0, 0, 0, 0)';
                while (node && background === 'rgba(0, 0, 0, 0)') {
                    background = getComputedStyle(node).backgroundColor; node = node.parentElement;
                }
                return [getComputedStyle(el).outlineColor, background];
            }"""
        )

    page.keyboard.press("Tab")  # the skip link
    for _ in range(12):
        page.keyboard.press("Tab")
        focused = page.locator(":focus")
        if focused.evaluate("el => !!el.closest('main')"):
            break
    in_main = ring_and_background(page.locator(":focus"))
    page.get_by_role("link", name="Directory", exact=True).focus()
    in_header = ring_and_background(page.get_by_role("link", name="Directory", exact=True))

    assert page.locator(":focus").evaluate("el => el.matches(':focus-visible')")
    assert contrast(in_main[0], "rgb(255, 255, 255)") >= 3
    assert contrast(*in_main) >= 3
    assert contrast(*in_header) >= 3
    context.close()


def test_form_errors_take_the_focus_and_link_to_their_fields(live_server, browser):
    context = signed_in_context(browser, live_server, language="th")
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("button", name=t("th", "Sign In")).click()

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text(t("th", "Please correct the following:"))
    links = summary.get_by_role("link")
    assert links.count() == 2
    described = page.locator("[aria-describedby]").evaluate_all(
        "els => els.flatMap(e => e.getAttribute('aria-describedby').split(' '))"
        ".filter(id => !document.getElementById(id))"
    )
    assert described == []
    email = page.locator("#id_login")
    assert "id_login_error" in email.get_attribute("aria-describedby")
    expect(page.locator("#id_login_error")).to_be_visible()

    links.first.click()
    expect(email).to_be_focused()
    context.close()


def test_registration_step_3_groups_the_checkboxes_in_columns(live_server, browser):
    user = MembershipFactory(company__verification_status=VerificationStatus.PENDING).user
    company = user.memberships.get().company
    context = signed_in_context(browser, live_server, user, language="th")
    page = context.new_page()
    page.goto(f"{live_server.url}/companies/{company.pk}/edit/capabilities/")

    capabilities = page.get_by_role("group", name=t("th", "What your company can do"))
    forming = capabilities.get_by_role("group", name=t("th", "Machining and forming"))
    expect(forming.get_by_role("checkbox")).to_have_count(7)
    assert page.evaluate("document.documentElement.scrollHeight") < 2_800
    assert (
        len(
            {
                round(box["x"])
                for box in capabilities.get_by_role("checkbox").evaluate_all(
                    "els => els.map(e => e.getBoundingClientRect())"
                )
            }
        )
        >= 3
    )  # columns

    # Keyboard: Tab walks the checkboxes in order; Space ticks one.
    first = forming.get_by_role("checkbox").first
    first.focus()
    page.keyboard.press("Tab")
    expect(forming.get_by_role("checkbox").nth(1)).to_be_focused()
    page.keyboard.press("Space")
    expect(forming.get_by_role("checkbox").nth(1)).to_be_checked()
    context.close()


def test_vetting_radio_buttons_sit_beside_their_labels(live_server, browser):
    CompanyFactory(name_en="Pending Precision Co., Ltd.", verification_status=VerificationStatus.PENDING)
    context = signed_in_context(browser, live_server, UserFactory(role=Role.COORDINATOR), language="ja")
    page = context.new_page()
    page.goto(live_server.url + "/coordinator/vetting/")

    for name in ("Verify", "Reject"):
        radio = page.get_by_role("radio", name=t("ja", name), exact=True)
        label = page.locator(f"label[for='{radio.get_attribute('id')}']")
        radio_box, label_box = radio.bounding_box(), label.bounding_box()
        middle = radio_box["y"] + radio_box["height"] / 2
        assert label_box["y"] <= middle <= label_box["y"] + label_box["height"], name
        assert label_box["x"] > radio_box["x"]
    context.close()


def test_home_page_cards_have_no_list_bullets(live_server, browser):
    context = signed_in_context(browser, live_server, language="th", width=390)
    page = context.new_page()
    page.goto(live_server.url + "/")
    cards = page.locator("ul.grid > li")

    assert cards.count() == 3
    assert set(cards.evaluate_all("els => els.map(e => getComputedStyle(e).listStyleType)")) == {"none"}
    assert cards.first.bounding_box()["x"] <= 20
    context.close()


def test_directory_search_examples_are_shown_whole(live_server, browser):
    context = signed_in_context(browser, live_server, language="ja")
    page = context.new_page()
    page.goto(live_server.url + "/directory/")
    search = page.get_by_role("combobox", name=t("ja", "Search"))
    hint = page.locator("#" + search.get_attribute("aria-describedby"))

    assert search.get_attribute("placeholder") is None
    expect(hint).to_have_text(t("ja", "e.g. machining, ฉีดพลาสติก, 精密加工"))
    assert hint.evaluate("el => el.scrollWidth <= el.clientWidth")
    context.close()


@pytest.mark.parametrize("path", ["/directory/?country=JP", "/postings/?country=JP"])
def test_search_results_sit_beside_the_filters_and_the_saved_search_form(live_server, browser, path):
    """Signed in, the "Save this search" card sits under the filters; the results keep the wide column."""
    context = signed_in_context(browser, live_server, UserFactory(), language="ja")
    page = context.new_page()
    page.goto(live_server.url + path)
    filters = page.get_by_role("search").bounding_box()
    save = page.get_by_role("form", name=t("ja", "Save this search")).bounding_box()
    results = page.locator("section.results").bounding_box()

    assert save["x"] == filters["x"]
    assert save["y"] > filters["y"] + filters["height"]
    assert results["x"] > filters["x"] + filters["width"]
    assert results["y"] < save["y"]
    context.close()


def test_the_coordinators_assignments_fit_a_phone(live_server, browser):
    """The assignments' table (five columns, one a button) overflowed a 390 px screen; now a card each."""
    company = CompanyFactory(name_en="U-Tapao Aero Precision Co., Ltd.", name_ja="")
    consultant = UserFactory(role=Role.CONSULTANT, first_name="Yuki", last_name="Sato")
    Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2020, 1, 1))
    context = signed_in_context(
        browser, live_server, UserFactory(role=Role.COORDINATOR), language="ja", width=390
    )
    page = context.new_page()
    page.goto(live_server.url + "/shindan/assignments/")
    region = page.get_by_role("region", name=t("ja", "Assignments"))
    end = region.get_by_role("button", name=t("ja", "End today"))

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(region.get_by_text("U-Tapao Aero Precision Co., Ltd.")).to_be_visible()
    box = end.bounding_box()
    assert 0 <= box["x"] <= 390 - box["width"]
    context.close()


def test_the_matching_dashboard_fits_a_phone_with_each_pairs_figures_side_by_side(live_server, browser):
    """The coordinators' matching dashboard at 390 px, in Japanese: its tables (best pairs, introductions,
    last runs) overflowed or broke their headings a character a line; now a card per row, the score and
    both ranks of a pair on one row, each under its column's name."""
    thai = CompanyFactory(name_en="Eastern Composite Aero Co., Ltd.", name_ja="", country="TH")
    japanese = CompanyFactory(name_ja="兵庫コンポジットテクノロジー株式会社", country="JP")
    MatchProposalFactory(company=thai, partner=japanese, score=99.5)
    MatchProposalFactory(company=japanese, partner=thai, score=99.5)
    context = signed_in_context(
        browser, live_server, UserFactory(role=Role.COORDINATOR), language="ja", width=390
    )
    page = context.new_page()
    page.goto(live_server.url + "/matching/introductions/")
    pair = page.get_by_role("table", name=t("ja", "Best proposals")).locator("tbody tr").first
    score, thai_rank, japanese_rank = (pair.locator("td.num").nth(index) for index in range(3))

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert score.inner_text() == "99.5"
    boxes = [cell.bounding_box() for cell in (score, thai_rank, japanese_rank)]
    assert len({round(box["y"]) for box in boxes}) == 1  # one row
    assert all(0 <= box["x"] <= 390 - box["width"] for box in boxes)
    label = japanese_rank.evaluate("td => getComputedStyle(td, '::before').content")
    heading = t("ja", "Rank in the Japanese company's list")
    assert label == f'"{heading}"'
    context.close()


def test_overdue_actions_are_one_card_each_on_a_phone_and_a_table_on_a_desktop(live_server, browser):
    """No sideways scrolling at 390 px: every cell of an overdue action is on screen with its column's
    name above it (table.stack); at 1280 px the same rows are a table with column headers."""
    company = CompanyFactory(name_th="บริษัท บางกอกเซอร์จิคอลอินสทรูเมนท์ จำกัด")
    consultant = UserFactory(role=Role.CONSULTANT)
    Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2020, 1, 1))
    diagnosis = services.diagnosis_create(actor=consultant, company=company)
    services.action_add(
        actor=consultant,
        diagnosis=diagnosis,
        what="SMED workshop on presses 3 and 4",
        owner="Production manager",
        due_on=datetime.date(2020, 5, 24),
    )
    context = signed_in_context(browser, live_server, consultant, language="th", width=390)
    page = context.new_page()
    page.goto(live_server.url + "/shindan/")
    region = page.get_by_role("region", name=re.compile(t("th", "Overdue actions")))
    cells = region.locator("tbody tr").first.locator("td")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert cells.count() == 5
    for index in range(5):
        box = cells.nth(index).bounding_box()
        assert 0 <= box["x"] <= 390 - box["width"]
    status = cells.nth(4)
    assert status.inner_text() == t("th", "Planned")
    label = status.evaluate("td => getComputedStyle(td, '::before').content")
    assert label == f'"{t("th", "Status")}"'

    page.set_viewport_size({"width": 1280, "height": 900})
    header = region.get_by_role("columnheader", name=t("th", "Status"))
    assert header.is_visible()
    assert status.evaluate("td => getComputedStyle(td, '::before').content") in ("none", "normal")
    context.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_sticky_save_bar_never_hides_the_focused_control(live_server, browser, width):
    company = CompanyFactory()
    consultant = UserFactory(role=Role.CONSULTANT)
    Assignment.objects.create(consultant=consultant, company=company, starts_on=datetime.date(2020, 1, 1))
    diagnosis = services.diagnosis_create(actor=consultant, company=company)
    context = signed_in_context(browser, live_server, consultant, language="th", width=width)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 700})
    page.goto(f"{live_server.url}/shindan/diagnoses/{diagnosis.pk}/areas/PRODUCTION/")
    save = page.get_by_role("button", name=t("th", "Save scores"))

    hidden, stops = [], 0
    page.locator("form.scoring summary").first.focus()
    while not save.evaluate("el => el === document.activeElement") and stops < 200:
        covered = page.evaluate(
            """() => {
                const el = document.activeElement, bar = document.querySelector('.sticky-save');
                if (bar.contains(el)) return false;
                const box = (el.type === 'radio' ? el.closest('label') : el).getBoundingClientRect();
                return box.bottom > bar.getBoundingClientRect().top + 1;
            }"""
        )
        if covered:
            hidden.append(page.evaluate("document.activeElement.name || document.activeElement.textContent"))
        page.keyboard.press("Tab")
        stops += 1

    assert stops > 20
    assert hidden == []
    context.close()
