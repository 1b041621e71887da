"""The pages built on tables, at 390 px in Thai and Japanese, as the roles that use them: no page wider
than the screen, and no column squeezed to a few characters a line (Japanese breaks anywhere, so a crushed
column turns its heading into a vertical strip). A table either becomes a card per row (``table.stack``) or
scrolls sideways in its own box with readable columns (``.grid-scroll``). The demo data seeded once."""

from django.core.management import call_command

from events.models import Delegation
from portal.accounts.models import User
from portal.companies.models import Company
from shindan.models import Checklist, Diagnosis
from tests.e2e.signed_in import signed_in_context

EVENT = "/events/thailand-industry-expo-2017"
# A visible cell narrower than this whose text runs to this many lines or more is crushed.
NARROW_PX, MANY_LINES = 70, 3.5
CRUSHED = """([narrow, many]) => {
  const found = [];
  for (const cell of document.querySelectorAll('main th, main td')) {
    const box = cell.getBoundingClientRect();
    const text = cell.innerText.trim();
    const head = cell.closest('thead');
    if (!box.width || !text || (head && getComputedStyle(head).position === 'absolute')) continue;
    const range = document.createRange();  // the text's own height, not its row's
    range.selectNodeContents(cell);
    const lineHeight = parseFloat(getComputedStyle(cell).lineHeight) || 20;
    const lines = range.getBoundingClientRect().height / lineHeight;
    if (box.width < narrow && lines >= many && text.length > 4) {
      found.push(`${text.slice(0, 20)} (${Math.round(box.width)} px)`);
    }
  }
  return found;
}"""


def _pages() -> dict[str, list[str]]:
    reported = Diagnosis.objects.filter(
        company=Company.objects.get(external_id="TH-DEMO-001"), stage="reported"
    ).first()
    diagnosis = f"/shindan/diagnoses/{reported.pk}"
    return {
        "coordinator@demo.example": [
            "/shindan/",
            "/shindan/assignments/",
            f"/shindan/checklists/{Checklist.objects.order_by('pk').first().pk}/",
            "/matching/introductions/",
            "/deals/desk/",
            f"{EVENT}/manage/",
            f"{EVENT}/manage/kpis/",
            f"{EVENT}/manage/delegations/{Delegation.objects.get(event__slug=EVENT.rsplit('/', 1)[1]).pk}/",
            "/coordinator/data-requests/",
        ],
        "consultant@demo.example": [
            "/shindan/",
            f"{diagnosis}/plan/",
            f"{diagnosis}/statements/",
            f"{diagnosis}/history/",
            f"{diagnosis}/report/",
        ],
        "owner.th@demo.example": [
            "/shindan/",
            f"{diagnosis}/report/",
            "/accounts/privacy/",
            f"{EVENT}/me/",
            f"/companies/{Company.objects.get(external_id='TH-DEMO-001').pk}/members/",
        ],
    }


def test_tables_fit_a_phone_without_crushed_columns(live_server, browser):
    call_command("seed_demo", allow_production=True, verbosity=0)  # tests run with DEBUG off
    problems = []
    for language in ("ja", "th"):
        for email, paths in _pages().items():
            context = signed_in_context(
                browser, live_server, User.objects.get(email=email), language=language, width=390
            )
            page = context.new_page()
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response.status == 200, (language, email, path, response.status)
                where = f"{language} {email} {path}"
                if page.evaluate("document.documentElement.scrollWidth") > 390:
                    problems.append(f"{where}: wider than the screen")
                problems += [f"{where}: {cell}" for cell in page.evaluate(CRUSHED, [NARROW_PX, MANY_LINES])]
            context.close()

    assert problems == []
