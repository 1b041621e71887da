"""axe-core over the main pages, in Thai, Japanese and English, as the roles that use them: zero violations.

axe-core is vendored (tests/e2e/vendor/axe-core/, see its README: CI needs no npm) and evaluated in each
page through Playwright (page.evaluate runs it outside the page's Content-Security-Policy, which allows no
inline script). The portal's pages run every rule axe runs by default (WCAG 2.0/2.1/2.2 A and AA and
axe's best practices); /api/docs/ (Swagger UI's own markup) runs the WCAG A/AA rules. One browser, one
signed-in context per role and language, the demo data seeded once.
"""

from pathlib import Path

from django.core.management import call_command

from events.models import Participant
from portal.accounts.models import User
from portal.companies.models import Company, VerificationStatus
from portal.postings.models import Posting, PostingStatus
from shindan.models import Diagnosis
from tests.e2e.signed_in import signed_in_context
from tests.factories import CompanyFactory, MembershipFactory

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
LANGUAGES = ("th", "ja", "en")
WCAG_A_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EVENT = "thailand-industry-expo-2017"


def _pages() -> dict[str | None, list[str]]:
    """The pages each role looks at, with the demo's ids."""
    thai = Company.objects.get(external_id="TH-DEMO-001")
    participant = Participant.objects.get(event__slug=EVENT, company=thai)
    posting = Posting.objects.filter(company=thai, status=PostingStatus.PUBLISHED).first()
    reported = Diagnosis.objects.filter(company=thai, stage="reported").first()
    event = f"/events/{EVENT}"
    product = thai.products.order_by("position").first()
    return {
        None: [
            "/",
            "/directory/",
            "/directory/?q=machining",
            f"/directory/{thai.pk}/",
            f"/ja/directory/{thai.pk}/",
            f"/showcase/{product.pk}/",
            "/accounts/login/",
            "/accounts/signup/",
            "/events/",
            f"{event}/",
            "/privacy/",
        ],
        "owner.th@demo.example": [
            "/dashboard/",
            "/matching/recommendations/",
            f"/postings/company/{thai.pk}/",
            f"/postings/{posting.pk}/",
            f"/companies/{thai.pk}/edit/capabilities/",
            f"/companies/{thai.pk}/showcase/",
            f"/showcase/{product.pk}/edit/",
            "/shindan/",
            f"/shindan/diagnoses/{reported.pk}/report/",
            f"{event}/me/",
            f"{event}/participants/{participant.pk}/agenda/",
            "/accounts/preferences/",
        ],
        "consultant@demo.example": [
            "/shindan/",
            f"/shindan/diagnoses/{reported.pk}/",
            f"/shindan/diagnoses/{reported.pk}/areas/PRODUCTION/",
            f"/shindan/diagnoses/{reported.pk}/statements/",
            f"/shindan/diagnoses/{reported.pk}/plan/",
            f"/shindan/diagnoses/{reported.pk}/report/",
        ],
        "coordinator@demo.example": [
            "/dashboard/",
            "/coordinator/vetting/",
            "/coordinator/import/",
            "/matching/introductions/",
            "/shindan/",
            f"{event}/manage/",
            "/companies/new/",
        ],
    }


def _violations(page, *, tags: list[str] | None = None) -> list[str]:
    page.evaluate(AXE)
    options = {"runOnly": {"type": "tag", "values": tags}} if tags else {}
    found = page.evaluate(
        """async (options) => (await axe.run(document, options)).violations.map(v =>
            `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`)""",
        options,
    )
    return found


def test_main_pages_have_no_axe_violations(live_server, browser):
    call_command("seed_demo", allow_production=True, verbosity=0)  # tests run with DEBUG off
    # Something to vet, so the vetting form is on the page.
    CompanyFactory(name_en="Pending Precision Co., Ltd.", verification_status=VerificationStatus.PENDING)
    MembershipFactory(company=Company.objects.get(name_en="Pending Precision Co., Ltd."))
    pages = _pages()
    problems: list[str] = []

    for language in LANGUAGES:
        for email, paths in pages.items():
            user = User.objects.get(email=email) if email else None
            context = signed_in_context(browser, live_server, user, language=language)
            page = context.new_page()
            for path in paths:
                response = page.goto(live_server.url + path)
                assert response.status == 200, (language, email, path, response.status)
                problems += [f"{language} {email or 'anonymous'} {path}: {v}" for v in _violations(page)]
            if email is None:
                # Pages after a form error: the error summary, the described fields.
                page.goto(live_server.url + "/accounts/login/")
                page.locator("form button[type=submit]").last.click()
                page.wait_for_selector("[data-error-summary]")
                problems += [f"{language} login with errors: {v}" for v in _violations(page)]
                page.goto(live_server.url + "/accounts/signup/")
                page.locator("#id_email").fill("not-an-e-mail")
                page.locator("form button[type=submit]").last.click()
                page.wait_for_selector("[data-error-summary]")
                problems += [f"{language} sign-up with errors: {v}" for v in _violations(page)]
                # A phone, the menu open.
                page.set_viewport_size({"width": 390, "height": 800})
                page.goto(live_server.url + "/")
                page.locator(".menu-toggle").click()
                problems += [f"{language} home at 390 px, menu open: {v}" for v in _violations(page)]
                page.goto(live_server.url + "/api/docs/")
                page.wait_for_selector(".opblock")
                problems += [f"{language} /api/docs/: {v}" for v in _violations(page, tags=WCAG_A_AA)]
            context.close()

    assert problems == []
