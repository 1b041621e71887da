"""Proposals on needs: who may send one, the closing date, ranking by match with reasons, decisions."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from deals import selectors, services
from deals.models import Conversation, Proposal
from portal.core.service_calls import error_codes
from portal.notifications.models import Notification
from portal.postings.models import Posting, PostingType
from portal.taxonomy.models import Capability
from tests.deals.helpers import match, need, yesterday
from tests.factories import CompanyFactory, MembershipFactory, UserFactory, add_certificate, link_terms

pytestmark = pytest.mark.django_db


def _propose(pair, posting, company=None, actor=None, **kwargs):
    values = {"offer": "射出成形で対応できます。", "lead_time_days": 30, **kwargs}
    return services.proposal_submit(
        posting=posting, company=company or pair["b"], actor=actor or pair["owner_b"], **values
    )


def test_proposal_from_the_other_country(pair, django_capture_on_commit_callbacks):
    link_terms(pair["b"], capabilities=["injection-molding"])
    certificate = add_certificate(pair["b"], "iso-13485", expires_on=yesterday())
    posting = need(pair["a"])

    with django_capture_on_commit_callbacks(execute=True):
        proposal = _propose(
            pair, posting, capabilities=list(Capability.objects.filter(slug="injection-molding")),
            certificates=[certificate], price_min=100, price_max=150, currency="JPY",
        )  # fmt: skip

    assert proposal.language == "ja"
    assert [c.slug for c in proposal.capabilities.all()] == ["injection-molding"]
    assert Notification.objects.get().recipient == pair["owner_a"]
    assert mail.outbox[0].to == [pair["owner_a"].email]
    assert mail.outbox[0].subject == "ข้อเสนอใหม่สำหรับความต้องการ “Injection molded housings” ของท่าน"


def test_proposal_notifications_name_the_need_and_company_in_the_readers_language(pair):
    """The notification keeps the names in every language: each reader sees the need's title and the
    company's name in their own, not in the language of whoever acted."""
    from django.utils import translation

    from portal.notifications.kinds import get_kind

    posting = need(pair["a"], title_th="ต้องการเรือนพลาสติก", title_ja="樹脂筐体の調達")
    proposal = _propose(pair, posting)
    received = Notification.objects.get(kind="deals.proposal_received")
    with translation.override("ja"):
        subject, body = get_kind(received.kind).render(received.context)
    assert "樹脂筐体の調達" in subject
    assert "加藤メディカル" in body
    with translation.override("th"):
        assert "ต้องการเรือนพลาสติก" in get_kind(received.kind).render(received.context)[0]

    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="shortlisted")
    shortlisted = Notification.objects.get(kind="deals.proposal_shortlisted")
    with translation.override("ja"):
        assert "樹脂筐体の調達" in get_kind(shortlisted.kind).render(shortlisted.context)[1]
    with translation.override("th"):
        assert "สยามพรีซิชั่น" in get_kind(shortlisted.kind).render(shortlisted.context)[1]


def test_proposal_on_a_closed_need_is_refused_with_the_date(pair):
    posting = need(pair["a"], expires_on=yesterday())

    with pytest.raises(ValidationError) as error:
        _propose(pair, posting)

    assert error.value.code == "closed"
    assert error.value.messages == [
        f"This need closed for proposals on {yesterday().isoformat()}: proposals are no longer accepted."
    ]
    assert Proposal.objects.count() == 0


@pytest.mark.parametrize("case", ["same_country", "duplicate", "not_a_need", "foreign_capability"])
def test_proposal_refusals(pair, case):
    posting = need(pair["a"])
    kwargs, company, actor = {}, None, None
    if case == "same_country":
        company = CompanyFactory(country="TH")
        actor = MembershipFactory(company=company).user
    elif case == "duplicate":
        _propose(pair, posting)
    elif case == "not_a_need":
        posting.type = "supply-offer"
        posting.save()
    else:
        kwargs["capabilities"] = list(Capability.objects.filter(slug="casting"))

    with pytest.raises(ValidationError) as error:
        _propose(pair, posting, company=company, actor=actor, **kwargs)

    assert error_codes(error.value) == {{"foreign_capability": "capabilities"}.get(case, case)}
    assert Proposal.objects.count() == (1 if case == "duplicate" else 0)


def test_proposals_ranked_by_match_with_reasons_from_the_posters_side(pair):
    posting = need(pair["a"])
    weak, strong = (
        CompanyFactory(country="JP", name_en="Weak"),
        CompanyFactory(country="JP", name_en="Strong"),
    )
    unranked = CompanyFactory(country="JP", name_en="Unranked")
    match(pair["a"], weak, 40.0, [{"code": "shared_industries", "slugs": ["medical-devices"]}], rank=2)
    # Written from the partner's side: the poster reads "you" and "they" swapped.
    match(strong, pair["a"], 90.0, [{"code": "they_offer_what_you_seek", "slugs": ["injection-molding"]}])
    for company in (weak, unranked, strong):
        user = MembershipFactory(company=company).user
        _propose(pair, posting, company=company, actor=user)

    rows = selectors.proposal_list_for_need(user=pair["owner_a"], posting=posting)

    assert [(r.proposal.company.name_en, r.score) for r in rows] == [
        ("Strong", 90.0),
        ("Weak", 40.0),
        ("Unranked", None),
    ]
    assert rows[0].reasons == ["Looks for what you offer: Injection molding"]
    assert rows[1].reasons == ["Same industry: Medical devices"]


def test_expired_certificates_are_flagged(pair):
    posting = need(pair["a"])
    certificate = add_certificate(pair["b"], "iso-9001", expires_on=yesterday())
    _propose(pair, posting, certificates=[certificate])

    row = selectors.proposal_list_for_need(user=pair["owner_a"], posting=posting)[0]

    assert [c.is_expired for c in row.proposal.certificates.all()] == [True]


def test_decline_tells_the_proposer_in_its_language(pair, django_capture_on_commit_callbacks):
    proposal = _propose(pair, need(pair["a"]))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(
            proposal=proposal, actor=pair["owner_a"], status="declined", reason="Too far"
        )

    proposal.refresh_from_db()
    assert (proposal.status, proposal.decline_reason) == ("declined", "Too far")
    assert mail.outbox[-1].to == [pair["owner_b"].email]
    assert mail.outbox[-1].subject == "ご提案は見送られました"
    assert "Too far" in mail.outbox[-1].body


def test_decline_needs_a_reason(pair):
    proposal = _propose(pair, need(pair["a"]))

    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="declined")

    assert error_codes(error.value) == {"reason_required"}
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_accept_opens_the_conversation_and_tells_coordinators(pair, django_capture_on_commit_callbacks):
    coordinator = UserFactory(role="coordinator")
    proposal = _propose(pair, need(pair["a"]))
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="shortlisted")

    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="accepted")

    proposal.refresh_from_db()
    conversation = Conversation.objects.get()
    assert proposal.conversation == conversation
    assert conversation.origin == "proposal"
    assert (
        Notification.objects.filter(
            recipient=coordinator, kind="deals.proposal_accepted_coordinators"
        ).count()
        == 1
    )
    assert Notification.objects.filter(recipient=pair["owner_b"], kind="deals.proposal_accepted").count() == 1
    # the coordinators' notification leads to the proposal (their desk lists only what waits for them)
    told = Notification.objects.get(recipient=coordinator, kind="deals.proposal_accepted_coordinators")
    assert told.url == reverse("deals:proposal", kwargs={"pk": proposal.pk})
    # "shortlisted" is superseded by the answer: it no longer waits in the proposer's bell
    shortlisted = Notification.objects.get(recipient=pair["owner_b"], kind="deals.proposal_shortlisted")
    assert shortlisted.read_at is not None


def test_accepted_proposal_cannot_be_declined(pair):
    proposal = _propose(pair, need(pair["a"]))
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="accepted")

    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="declined", reason="x")

    assert error.value.code == "invalid_transition"


def test_only_the_poster_decides(pair):
    proposal = _propose(pair, need(pair["a"]))

    with pytest.raises(ValidationError) as error:
        services.proposal_decide(proposal=proposal, actor=pair["owner_b"], status="accepted")

    assert error.value.code == "not_member"


def test_proposal_page_flow(pair, client):
    posting = need(pair["a"])
    client.force_login(pair["owner_b"])

    detail = client.get(reverse("postings:detail", kwargs={"pk": posting.pk})).content.decode()
    response = client.post(
        reverse("deals:propose", kwargs={"posting_pk": posting.pk}),
        {"offer": "We mold ABS housings.", "lead_time_days": "21", "currency": ""},
    )

    assert reverse("deals:propose", kwargs={"posting_pk": posting.pk}) in detail
    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("deals:proposal", kwargs={"pk": proposal.pk})


def test_a_company_that_answered_a_need_sees_its_proposal_not_a_new_form(pair, client):
    """The posting's proposal box said "Proposals" in the words of recommendations (推薦, คู่ที่แนะนำ) and
    offered "Send a proposal" again after one was sent (and accepted): a blank form that could only fail."""
    posting = need(pair["a"])
    client.force_login(pair["owner_b"])
    detail = reverse("postings:detail", kwargs={"pk": posting.pk})
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert '<h2 id="proposals-heading">提案</h2>' in page
    assert reverse("deals:propose", kwargs={"posting_pk": posting.pk}) in page

    proposal = _propose(pair, posting)
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="accepted")
    page = client.get(detail, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert reverse("deals:propose", kwargs={"posting_pk": posting.pk}) not in page
    assert reverse("deals:proposal", kwargs={"pk": proposal.pk}) in page
    assert "現在のステータス：承諾済み" in page

    propose = reverse("deals:propose", kwargs={"posting_pk": posting.pk})
    again = client.get(propose, HTTP_ACCEPT_LANGUAGE="ja").content.decode()
    assert "貴社はこのニーズにすでに提案を送っています。" in again
    assert reverse("deals:proposal", kwargs={"pk": proposal.pk}) in again
    assert 'name="offer"' not in again
    posted = client.post(propose, {"offer": "Again", "lead_time_days": "5", "currency": ""})
    assert posted.status_code == 200
    assert Proposal.objects.count() == 1


def test_the_deal_step_starts_on_no_step(pair):
    from deals.forms import StepForm

    form = StepForm(prefix="step")
    assert form["step"].field.choices[0][0] == ""
    assert 'value="" selected' in str(form["step"]) or "selected" not in str(form["step"])
    assert not StepForm({"step-step": ""}, prefix="step").is_valid()


def test_a_price_says_what_it_is_for(pair, client):
    """A price of "180.00–240.00 JPY" left the reader guessing: per piece, per lot, in total?"""
    posting = need(pair["a"])
    with pytest.raises(ValidationError) as error:
        _propose(pair, posting, price_basis="piece")  # a basis without a price
    assert error.value.error_dict["price_basis"][0].code == "price_basis"
    with pytest.raises(ValidationError) as error:
        _propose(pair, posting, price_min=1, currency="JPY", price_basis="ton")
    assert error.value.error_dict["price_basis"][0].code == "price_basis"
    assert Proposal.objects.count() == 0

    proposal = _propose(pair, posting, price_min=180, price_max=240, currency="JPY", price_basis="piece")
    client.force_login(pair["owner_a"])
    url = reverse("deals:need_proposals", kwargs={"posting_pk": posting.pk})
    assert "180.00–240.00 JPY ต่อชิ้น" in client.get(url).content.decode()  # owner_a reads Thai
    client.force_login(pair["owner_b"])  # reads Japanese
    page = client.get(reverse("deals:proposal", kwargs={"pk": proposal.pk})).content.decode()
    assert "180.00–240.00 JPY 1個あたり" in page
    assert proposal.price_basis == "piece"


def test_the_api_takes_and_gives_the_price_basis(pair):
    from rest_framework.test import APIClient

    posting = need(pair["a"])
    api = APIClient()
    api.force_authenticate(pair["owner_b"])
    body = {"posting": posting.pk, "offer": "ABS housings", "lead_time_days": 20, "price_min": "12.50",
            "currency": "JPY", "price_basis": "thousand"}  # fmt: skip
    response = api.post("/api/deals/proposals/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["price_basis"] == "thousand"
    bad = api.post("/api/deals/proposals/", {**body, "price_basis": "ton"}, format="json")
    assert bad.status_code == 400


def test_a_proposal_decided_by_one_member_no_longer_waits_for_the_others(pair):
    colleague = MembershipFactory(company=pair["a"]).user
    proposal = _propose(pair, need(pair["a"]))
    received = Notification.objects.filter(kind="deals.proposal_received")
    assert set(received.filter(read_at=None).values_list("recipient", flat=True)) == {
        pair["owner_a"].pk,
        colleague.pk,
    }

    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="shortlisted")

    assert not received.filter(read_at=None).exists()
    assert Notification.objects.get(kind="deals.proposal_shortlisted").read_at is None  # news for B


@pytest.mark.parametrize(
    ("status", "said"),
    [
        ("shortlisted", "’s proposal is on your shortlist; they are told so."),
        ("declined", "’s proposal is declined; they are told so, with your reason."),
        ("accepted", "’s proposal is accepted; they are told so. The conversation with them is open."),
    ],
)
def test_the_poster_is_told_what_the_decision_did(client, pair, status, said):
    proposal = _propose(pair, need(pair["a"]))
    pair["owner_a"].language = "en"
    pair["owner_a"].save(update_fields=["language"])
    client.force_login(pair["owner_a"])

    response = client.post(
        reverse("deals:proposal_decide", args=[proposal.pk]),
        {"status": status, "reason": "Too far"},
        follow=True,
    )  # fmt: skip

    (message,) = [str(m) for m in response.context["messages"]]
    assert message == pair["b"].display_name() + said.replace("’", "'")


def test_one_price_is_shown_once_with_its_thousands_grouped(pair, client):
    proposal = _propose(
        pair, need(pair["a"]), price_min=8000, price_max=8000, currency="THB", price_basis="total"
    )
    client.force_login(pair["owner_b"])  # reads Japanese

    page = client.get(reverse("deals:proposal", kwargs={"pk": proposal.pk})).content.decode()

    assert "8,000.00 THB" in page
    assert "8000.00" not in page


def test_the_proposal_form_shows_every_price_error_on_its_field_and_asks_for_the_files_again(pair, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    posting = need(pair["a"])
    client.force_login(pair["owner_b"])
    pair["owner_b"].language = "en"
    pair["owner_b"].save(update_fields=["language"])

    response = client.post(
        reverse("deals:propose", kwargs={"posting_pk": posting.pk}),
        {
            "offer": "We mold ABS housings.", "lead_time_days": "21", "price_min": "200", "price_max": "150",
            "files": SimpleUploadedFile("quote.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf"),
        },
    )  # fmt: skip

    errors = response.context["form"].errors
    assert errors["currency"] == ["Choose the currency of the price."]
    assert errors["price_max"] == ["The upper price is below the lower one."]
    assert errors["files"] == ["Choose the files again: a form that comes back with an error keeps none."]
    assert Proposal.objects.count() == 0


def test_the_service_names_every_broken_price_rule_at_once(pair):
    with pytest.raises(ValidationError) as error:
        _propose(pair, need(pair["a"]), price_min=200, price_max=150, price_basis="ton")

    assert sorted(error.value.error_dict) == ["currency", "price_basis", "price_max"]
    assert Proposal.objects.count() == 0


def test_a_proposal_in_another_language_says_how_to_get_it_translated(pair, client, settings):
    """A Japanese offer read in Thai: its machine translation when a backend is set, and the coordinators'
    address to ask for a translation; its author, who reads Japanese, sees neither."""
    settings.CONTACT_EMAIL = "coordinators@dip.example"
    settings.DEALS_MACHINE_TRANSLATION = "tests.deals.test_coordinators.fake_backend"
    posting = need(pair["a"], title="Catheter tubing")
    proposal = _propose(pair, posting)
    assert proposal.language == "ja"
    client.force_login(pair["owner_a"])  # reads Thai

    for url in (
        reverse("deals:proposal", kwargs={"pk": proposal.pk}),
        reverse("deals:need_proposals", kwargs={"posting_pk": posting.pk}),
    ):
        page = client.get(url).content.decode()
        assert "เขียนเป็นภาษาญี่ปุ่น" in page
        assert 'href="mailto:coordinators@dip.example?body=http%3A%2F%2Ftestserver%2F' in page
        assert f"%2Fdeals%2Fproposals%2F{proposal.pk}%2F" in page
        assert "[ja-&gt;th] 射出成形で対応できます。" in page

    client.force_login(pair["owner_b"])
    page = client.get(reverse("deals:proposal", kwargs={"pk": proposal.pk})).content.decode()
    assert "mailto:coordinators@dip.example" not in page.split("<main", 1)[1].split("</main>")[0]
    assert "[ja-&gt;" not in page


def test_the_poster_decides_on_the_proposals_own_page_and_comes_back_to_it(client, pair):
    proposal = _propose(pair, need(pair["a"]))
    page = reverse("deals:proposal", kwargs={"pk": proposal.pk})
    client.force_login(pair["owner_a"])

    html = client.get(page).content.decode()
    assert f'action="{reverse("deals:proposal_decide", args=[proposal.pk])}"' in html
    assert f'<input type="hidden" name="next" value="{page}">' in html
    assert 'value="shortlisted"' in html

    response = client.post(
        reverse("deals:proposal_decide", args=[proposal.pk]), {"status": "shortlisted", "next": page}
    )
    assert response.url == page
    proposal.refresh_from_db()
    assert proposal.status == "shortlisted"
    assert 'value="shortlisted"' not in client.get(page).content.decode()  # declined or accepted now

    client.force_login(pair["owner_b"])  # the proposer reads it, and decides nothing
    assert (
        f'action="{reverse("deals:proposal_decide", args=[proposal.pk])}"'
        not in client.get(page).content.decode()
    )


def test_a_decision_never_sends_the_poster_to_another_site(client, pair):
    proposal = _propose(pair, need(pair["a"]))
    client.force_login(pair["owner_a"])
    response = client.post(
        reverse("deals:proposal_decide", args=[proposal.pk]),
        {"status": "shortlisted", "next": "https://evil.example/"},
    )
    assert response.url == reverse("deals:need_proposals", kwargs={"posting_pk": proposal.posting_id})


def _propose_with_files(pair, client, offer, *files):
    """The other side proposes ``offer`` with ``files`` through the page, in English."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    posting = need(pair["a"])
    client.force_login(pair["owner_b"])
    pair["owner_b"].language = "en"
    pair["owner_b"].save(update_fields=["language"])
    uploads = [SimpleUploadedFile(name, content, content_type=kind) for name, content, kind in files]
    return client.post(
        reverse("deals:propose", kwargs={"posting_pk": posting.pk}),
        {"offer": offer, "lead_time_days": "21", "files": uploads},
    )


EXE = ("tool.exe", b"MZ\x90\x00", "application/octet-stream")


def test_a_file_we_would_refuse_is_named_at_once_when_the_form_comes_back(pair, client):
    response = _propose_with_files(pair, client, "", EXE)

    errors = response.context["form"].errors
    assert "offer" in errors
    (message,) = errors["files"]
    assert message.startswith("“tool.exe” is not a file type we accept (")
    assert Proposal.objects.count() == 0


def test_a_file_the_service_refuses_is_said_once_at_the_file_box(pair, client):
    pdf = ("f1.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    response = _propose_with_files(pair, client, "Five-axis machining of the bracket.", pdf, EXE)

    form = response.context["form"]
    (message,) = form.errors["files"]
    assert message.startswith("“tool.exe” is not a file type we accept (")
    assert not form.non_field_errors()  # not a second time above the form
    assert response.content.decode().count("“tool.exe” is not a file type") == 2  # summary and field
    assert Proposal.objects.count() == 0


def test_a_member_finds_the_proposals_their_company_sent_on_the_postings_search(pair, client):
    proposal = _propose(pair, need(pair["a"]))
    pair["owner_b"].language = "en"
    pair["owner_b"].save(update_fields=["language"])
    client.force_login(pair["owner_b"])

    html = client.get(reverse("postings:list")).content.decode()
    assert "Proposals your company sent (1)" in html
    assert f'href="{reverse("deals:proposal", kwargs={"pk": proposal.pk})}"' in html
    assert pair["a"].display_name() in html

    client.force_login(pair["owner_a"])  # the poster sent none
    assert "Proposals your company sent" not in client.get(reverse("postings:list")).content.decode()
    client.logout()
    assert "Proposals your company sent" not in client.get(reverse("postings:list")).content.decode()


def test_a_coordinator_reading_a_needs_proposals_is_told_who_decides(pair, client):
    _propose(pair, need(pair["a"]))
    coordinator = UserFactory(role="coordinator", language="en")
    client.force_login(coordinator)

    html = client.get(
        reverse("deals:need_proposals", kwargs={"posting_pk": Proposal.objects.get().posting_id})
    )
    html = html.content.decode()

    name = pair["a"].display_name()
    assert f"Ranked by how well each company matches {name}, with the reasons; {name} shortlists" in html
    assert "Shortlist, decline with a reason" not in html


def test_the_proposal_pages_are_under_postings_in_the_menu_not_messages(client, pair):
    posting = need(pair["a"])
    client.force_login(pair["owner_b"])
    page = client.get(reverse("deals:propose", args=[posting.pk])).content.decode()
    postings = f'<a href="{reverse("postings:list")}" aria-current="page">'
    messages = (
        f'<a href="{reverse("deals:inbox")}" data-unread-url="{reverse("deals:unread")}" aria-current="page">'
    )
    assert postings in page
    assert messages not in page
    inbox = client.get(reverse("deals:inbox")).content.decode()
    assert messages in inbox and postings not in inbox  # noqa: PT018


def test_a_draft_need_offers_its_company_no_proposals_page(client, pair):
    draft = Posting.objects.create(company=pair["a"], type=PostingType.SUPPLY_NEED, title_en="Housings")
    published = need(pair["a"])
    client.force_login(pair["owner_a"])

    assert reverse("deals:need_proposals", args=[draft.pk]) not in _page(client, draft)
    assert reverse("deals:need_proposals", args=[published.pk]) in _page(client, published)


def _page(client, posting) -> str:
    return client.get(reverse("postings:detail", args=[posting.pk])).content.decode()


def test_a_shortlisted_proposal_still_waits_on_the_dashboard_until_answered(client, pair):
    posting = need(pair["a"])
    proposal = _propose(pair, posting)
    pair["owner_a"].language = "en"
    pair["owner_a"].save(update_fields=["language"])
    client.force_login(pair["owner_a"])
    waiting = "1 proposal on your needs to answer"

    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="shortlisted")
    shortlisted = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="accepted")
    accepted = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert waiting in shortlisted
    assert waiting not in accepted


def test_the_conversation_leads_to_the_accepted_proposal_on_its_own_query(client, pair):
    """The price, lead time and files of the proposal that opened the conversation are one click away; the
    page keeps its pinned queries (the proposal rides on the conversation's query)."""
    proposal = _propose(pair, need(pair["a"]))
    services.proposal_decide(proposal=proposal, actor=pair["owner_a"], status="accepted")
    proposal.refresh_from_db()
    client.force_login(pair["owner_b"])

    html = client.get(reverse("deals:conversation", args=[proposal.conversation_id])).content.decode()

    assert f'<a href="{reverse("deals:proposal", args=[proposal.pk])}">' in html


def test_the_posters_own_readiness_is_said_once_above_the_proposals(client, pair):
    posting = need(pair["a"])
    third = CompanyFactory(country="JP", name_en="Osaka Resin")
    MembershipFactory(company=third, user=UserFactory())
    for rank, (company, score) in enumerate(((pair["b"], 70.0), (third, 60.0)), start=1):
        match(pair["a"], company, score, reasons=[{"code": "your_readiness", "value": 75.0}], rank=rank)
        services.proposal_submit(
            posting=posting,
            company=company,
            actor=company.memberships.first().user,
            offer="Molding.",
            lead_time_days=30,
        )
    client.force_login(pair["owner_a"])

    html = client.get(reverse("deals:need_proposals", kwargs={"posting_pk": posting.pk})).content.decode()

    with translation.override("th"):  # the poster reads Thai
        readiness = translation.gettext("Your Shindan readiness: %(score)s/100") % {"score": 75}
    assert html.count(readiness) == 1
    assert html.index(readiness) < html.index('class="card proposal"')


def test_a_japanese_name_meets_its_particle_without_a_space_on_the_page(client, pair):
    """The Japanese catalogue writes "%(company)s の提案…" so that a Latin name keeps its space; the message
    drops it after a Japanese name (``name_spacing``)."""
    proposal = _propose(pair, need(pair["a"]))
    pair["owner_a"].language = "ja"
    pair["owner_a"].save(update_fields=["language"])
    client.force_login(pair["owner_a"])

    response = client.post(
        reverse("deals:proposal_decide", args=[proposal.pk]), {"status": "shortlisted"}, follow=True
    )

    assert '<li class="success">加藤メディカルの提案を候補に入れました。先方にもお知らせしました。</li>' in (
        response.content.decode()
    )


def test_the_need_page_tells_its_poster_how_many_proposals_wait(client, pair):
    posting = need(pair["a"])
    pair["owner_a"].language = "en"
    pair["owner_a"].save(update_fields=["language"])
    client.force_login(pair["owner_a"])
    url = reverse("postings:detail", args=[posting.pk])
    assert "No proposal yet." in client.get(url).content.decode()

    first = _propose(pair, posting)
    other = CompanyFactory(name_en="Musashi Catheter", country="JP")
    owner_c = MembershipFactory(company=other, user=UserFactory(language="ja")).user
    _propose(pair, posting, company=other, actor=owner_c)
    services.proposal_decide(proposal=first, actor=pair["owner_a"], status="shortlisted")

    page = client.get(url).content.decode()
    assert "<strong>2 proposals so far.</strong> 1 waits for your answer." in page
