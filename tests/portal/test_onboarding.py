"""Onboarding in the browser (server side): register a company in steps, join one, manage members."""

from decimal import Decimal

import pytest
from django.urls import reverse

from portal.companies.models import Company, JoinRequest, Membership, MembershipRole, VerificationStatus
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _start(client, **overrides):
    data = {
        "country": "TH",
        "registration_no": "0105536112014",
        "name_en": "Siam Molding",
        "name_th": "สยามโมลดิ้ง",
    }
    return client.post(reverse("companies:start"), {**data, **overrides})


def test_member_registers_a_company_in_four_steps(client, mailoutbox):
    user = UserFactory(language="th")
    client.force_login(user)

    response = _start(client)
    company = Company.objects.get()
    assert response["Location"] == reverse("companies:edit", args=[company.pk, "profile"])
    assert company.verification_status == VerificationStatus.PENDING
    assert Membership.objects.get().role == MembershipRole.OWNER

    response = client.post(
        reverse("companies:edit", args=[company.pk, "profile"]),
        {
            "sector": "manufacturing",
            "region": "TH-20",
            "employees": "40",
            "annual_revenue": "90000000",
            "capital": "",
            "currency": "THB",
            "founded_year": "2545",
            "website": "www.siam-molding.example",
        },
    )
    assert response["Location"] == reverse("companies:edit", args=[company.pk, "capabilities"])
    response = client.post(
        reverse("companies:edit", args=[company.pk, "capabilities"]),
        {
            "industries": ["medical-devices"],
            "capabilities": ["injection-molding", "cleanroom-assembly"],
            "seeking": ["sterilization"],
            "requires": [],
            "looking_for": ["customer"],
            "languages": ["th", "en"],
            "certificates-TOTAL_FORMS": "2",
            "certificates-INITIAL_FORMS": "0",
            "certificates-0-certification": "iso-13485",
            "certificates-0-number": "MD-1",
            "certificates-0-issuer": "TÜV",
            "certificates-0-expires_on": "2028-01-31",
            "certificates-1-certification": "",
        },
    )
    assert response["Location"] == reverse("companies:edit", args=[company.pk, "about"])
    response = client.post(
        reverse("companies:edit", args=[company.pk, "about"]),
        {
            "description_th": "รับฉีดพลาสติกในห้องสะอาด",
            "contact_name": "Napat",
            "contact_email": "napat@siam.example",
            "contact_phone": "+66 38 111 222",
        },
    )
    assert response["Location"] == reverse("companies:detail", args=[company.pk])

    company.refresh_from_db()
    assert (company.founded_year, company.region.code, company.size_class) == (2002, "TH-20", "small")
    assert company.website == "https://www.siam-molding.example"
    assert company.certificates.get().number == "MD-1"
    assert company.contacts.get().phone == "+6638111222"
    assert "ฉีดพลาสติก" in company.search_text
    assert "injection molding" in company.search_text
    assert (
        client.get(reverse("companies:detail", args=[company.pk])).status_code == 200
    )  # owner sees it pending


def test_wrong_check_digit_is_shown_inline_and_nothing_is_created(client):
    client.force_login(UserFactory())

    response = _start(client, registration_no="0105536112015")

    assert response.status_code == 200
    assert response.context["form"].errors["registration_no"]
    assert Company.objects.count() == 0


def test_taken_registration_number_suggests_joining(client):
    CompanyFactory(registration_no="0105536112014")
    client.force_login(UserFactory())

    response = _start(client)

    assert "registration_no" in response.context["form"].errors
    assert Company.objects.count() == 1


def test_invalid_step_input_changes_nothing(client):
    owner = MembershipFactory(company__employees=10).user
    company = owner.memberships.get().company
    client.force_login(owner)

    response = client.post(
        reverse("companies:edit", args=[company.pk, "profile"]),
        {"sector": "manufacturing", "employees": "-3", "currency": "THB", "founded_year": "3000"},
    )

    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"employees", "founded_year"}
    company.refresh_from_db()
    assert company.employees == 10


@pytest.mark.parametrize("kind", ["anonymous", "member", "other"])
def test_only_owners_and_coordinators_edit(client, kind):
    company = CompanyFactory(employees=10)
    if kind == "member":
        client.force_login(MembershipFactory(company=company, role=MembershipRole.MEMBER).user)
    elif kind == "other":
        client.force_login(MembershipFactory().user)

    response = client.post(
        reverse("companies:edit", args=[company.pk, "profile"]), {"sector": "retail", "currency": "THB"}
    )

    assert response.status_code == (302 if kind == "anonymous" else 404)
    company.refresh_from_db()
    assert company.sector == "manufacturing"


def test_join_request_is_approved_by_the_owner(client, mailoutbox, django_capture_on_commit_callbacks):
    owner_membership = MembershipFactory(
        user__language="ja", company__country="JP", company__name_ja="加藤精密"
    )
    company, owner = owner_membership.company, owner_membership.user
    applicant = UserFactory()
    client.force_login(applicant)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("companies:join"),
            {"country": "JP", "registration_no": company.registration_no, "message": "Hi"},
        )
    join_request = JoinRequest.objects.get()
    assert [message.to for message in mailoutbox] == [[owner.email]]

    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("companies:join_answer", args=[company.pk, join_request.pk]), {"decision": "approve"}
        )

    assert Membership.objects.get(user=applicant).role == MembershipRole.MEMBER
    assert mailoutbox[-1].to == [applicant.email]


def test_join_request_for_an_unknown_number_is_refused(client):
    client.force_login(UserFactory())

    response = client.post(reverse("companies:join"), {"country": "TH", "registration_no": "0994000617721"})

    assert response.status_code == 400
    assert JoinRequest.objects.count() == 0


def test_the_last_owner_cannot_leave_or_be_demoted(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    url = reverse("companies:membership", args=[membership.company.pk, membership.pk])

    client.post(url, {"action": "role", "role": "member"})
    client.post(url, {"action": "remove"})

    membership.refresh_from_db()
    assert membership.role == MembershipRole.OWNER


def test_owner_removes_a_member_but_a_plain_member_cannot(client):
    owner = MembershipFactory()
    member = MembershipFactory(company=owner.company, role=MembershipRole.MEMBER)
    other = MembershipFactory(company=owner.company, role=MembershipRole.MEMBER)

    client.force_login(member.user)
    assert (
        client.post(
            reverse("companies:membership", args=[owner.company.pk, other.pk]), {"action": "remove"}
        ).status_code
        == 404
    )
    client.force_login(owner.user)
    client.post(reverse("companies:membership", args=[owner.company.pk, other.pk]), {"action": "remove"})

    assert set(Membership.objects.values_list("pk", flat=True)) == {owner.pk, member.pk}
    from portal.notifications.kinds import get_kind
    from portal.notifications.models import Notification

    told = Notification.objects.get(kind="companies.membership_removed")  # only the one removed is told
    assert told.recipient == other.user
    assert get_kind(told.kind).render(told.context)[0] == (
        f"You are no longer a member of {owner.company.display_name()}"
    )


def test_step_names_are_translated(client):
    owner = MembershipFactory(user__language="ja").user
    client.force_login(owner)

    html = client.get(
        reverse("companies:edit", args=[owner.memberships.get().company_id, "capabilities"])
    ).content.decode()

    assert "Size and place" not in html
    assert "Capabilities and certificates" not in html


@pytest.mark.parametrize("kind", ["applicant", "member", "other_company"])
def test_only_owners_answer_join_requests(client, kind):
    owner = MembershipFactory()
    applicant = UserFactory()
    join_request = JoinRequest.objects.create(user=applicant, company=owner.company)
    users = {
        "applicant": applicant,
        "member": MembershipFactory(company=owner.company, role=MembershipRole.MEMBER).user,
        "other_company": MembershipFactory().user,
    }
    client.force_login(users[kind])

    response = client.post(
        reverse("companies:join_answer", args=[owner.company.pk, join_request.pk]), {"decision": "approve"}
    )

    assert response.status_code == 404
    join_request.refresh_from_db()
    assert join_request.status == "pending"
    assert not Membership.objects.filter(user=applicant).exists()


@pytest.mark.parametrize(("language", "shown"), [("th", "2547"), ("ja", "2004")])
def test_the_profile_form_shows_the_year_in_the_readers_era_and_whole_amounts_plainly(
    client, language, shown
):
    company = CompanyFactory(
        founded_year=2004, annual_revenue=Decimal("320000000.00"), capital=Decimal("1.50")
    )
    client.force_login(MembershipFactory(company=company, user__language=language).user)
    page = reverse("companies:edit", kwargs={"pk": company.pk, "step": "profile"})

    html = client.get(page).content.decode()
    assert f'name="founded_year" value="{shown}"' in html
    assert 'name="annual_revenue" value="320000000"' in html
    assert 'name="capital" value="1.50"' in html


@pytest.mark.parametrize(("language", "country"), [("ja", "JP"), ("th", "TH"), ("en", "TH")])
def test_the_country_starts_as_the_readers(client, language, country):
    client.force_login(UserFactory(language=language))
    response = client.get(reverse("companies:start"))
    assert response.context["form"]["country"].value() == country
    assert response.context["join_form"]["country"].value() == country


def test_a_number_valid_for_the_other_country_says_to_check_the_country(client):
    client.force_login(UserFactory())

    response = _start(client, registration_no="7304959280662")  # a valid Japanese corporate number

    assert response.context["form"].errors["registration_no"] == [
        "A Thai juristic person number has 13 digits and starts with 0.",
        "This is a valid number for Japan: if the company is there, choose Japan as its country.",
    ]
    assert Company.objects.count() == 0


def test_amounts_are_accepted_as_people_write_them(client):
    company = CompanyFactory(country="JP")
    client.force_login(MembershipFactory(company=company).user)
    page = reverse("companies:edit", kwargs={"pk": company.pk, "step": "profile"})
    assert "Buddhist Era" not in client.get(page).content.decode()  # a Japanese company's year is C.E.

    response = client.post(
        page,
        {"sector": "manufacturing", "employees": "40", "annual_revenue": "12,000,000", "capital": "3 000 000",
         "currency": "JPY", "founded_year": "1998"},
    )  # fmt: skip

    assert response.status_code == 302, response.context["form"].errors
    company.refresh_from_db()
    assert (company.annual_revenue, company.capital) == (Decimal("12000000"), Decimal("3000000"))


@pytest.mark.parametrize(
    ("language", "order"),
    [("ja", ["name_ja", "name_en", "name_th"]), ("th", ["name_th", "name_en", "name_ja"])],
)
def test_the_company_and_product_names_ask_for_the_readers_language_first(language, order):
    from django.utils import translation

    from portal.companies.forms import CompanyBasicsForm
    from portal.showcase.forms import ProductForm

    with translation.override(language):
        company_fields = [name for name in CompanyBasicsForm().fields if name.startswith("name_")]
        product_fields = [name for name in ProductForm().fields if name.startswith("name_")]
    assert company_fields == product_fields == order


def test_the_coordinators_are_told_of_a_new_company_and_of_one_sent_again(client):
    from portal.companies import services as company_services
    from portal.notifications.kinds import get_kind
    from portal.notifications.models import Notification

    def said(row):  # (subject, sentence) as the list shows them, in English
        return get_kind(row.kind).render(row.context)

    coordinator = UserFactory(role="coordinator")
    owner = UserFactory()
    company = company_services.company_create(
        owner=owner, country="TH", registration_no="0105536112014", name_en="Chon Buri Mold"
    )
    told = Notification.objects.filter(kind="companies.awaiting_vetting", recipient=coordinator)
    assert told.count() == 1
    assert told.get().url == reverse("companies:vetting")

    company_services.company_set_verification(
        company=company, actor=coordinator, status=VerificationStatus.REJECTED, reason="Wrong number"
    )
    company.refresh_from_db()
    company = company_services.company_update_profile(company=company, name_en="Chon Buri Precision Mold")
    company_services.company_update_profile(company=company, name_en="Chon Buri Precision Mold Co.")
    assert told.count() == 2  # sent again once, not at every later edit
    assert not Notification.objects.filter(kind="companies.awaiting_vetting", recipient=owner).exists()


def test_the_verified_mail_leads_to_the_recommendations_and_the_website_prompt_to_its_step(
    mailoutbox, django_capture_on_commit_callbacks
):
    from portal.companies import services as company_services
    from portal.companies.todos import profile_completeness

    owner = UserFactory()
    company = company_services.company_create(
        owner=owner, country="TH", registration_no="0105536112014", name_en="Chon Buri Mold"
    )
    (row,) = profile_completeness(company_ids=[company.pk])
    website = [p["url"] for p in row["prompts"] if p["text"] == "Add your website"]
    # The website field is on the profile step (size and place), not on the about step.
    assert website == [reverse("companies:edit", args=[company.pk, "profile"])]

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        company_services.company_set_verification(
            company=company, actor=UserFactory(role="coordinator"), status=VerificationStatus.VERIFIED
        )
    (mail,) = [m for m in mailoutbox if owner.email in m.to]
    assert f"{reverse('matching:recommendations')}?company={company.pk}" in mail.body


def test_a_new_company_works_in_its_own_language_until_it_ticks_more(client):
    """English is never assumed: two new companies of the two countries share no language, so their Expo
    meeting gets an interpreter (events.services.participant_languages) until one of them ticks English."""
    from portal.companies import services as company_services

    client.force_login(UserFactory(language="th"))
    _start(client)
    thai = Company.objects.get()
    japanese = company_services.company_create(
        owner=UserFactory(), country="JP", registration_no="7010001008844", name_en="Kato Seiki"
    )
    assert (thai.language_list, japanese.language_list) == (["th"], ["ja"])
    form = client.get(reverse("companies:edit", args=[thai.pk, "capabilities"])).context["form"]
    assert form["languages"].value() == ["th"]  # the step shows Thai ticked, English and Japanese not


def test_a_rejected_company_reads_why_in_the_wizard_and_is_told_when_an_edit_sends_it_again(client):
    from portal.companies import services as company_services

    owner = UserFactory()
    company = company_services.company_create(
        owner=owner, country="TH", registration_no="0105536112014", name_en="Chon Buri Mold"
    )
    company_services.company_set_verification(
        company=company, actor=UserFactory(role="coordinator"), status=VerificationStatus.REJECTED,
        reason="The registration number belongs to another company",
    )  # fmt: skip
    client.force_login(owner)
    url = reverse("companies:edit", args=[company.pk, "profile"])
    from portal.notifications.models import Notification

    told = Notification.objects.get(recipient=owner, kind="companies.rejected")
    assert told.url == url  # the bell leads where the e-mail does: the wizard's first step

    page = client.get(url).content.decode()
    assert "A coordinator could not verify this profile: The registration number belongs to another" in page

    response = client.post(
        url, {"employees": "40", "currency": "THB", "sector": "manufacturing"}, follow=True
    )

    company.refresh_from_db()
    assert company.verification_status == VerificationStatus.PENDING
    assert "The profile is sent again to the coordinators for review." in response.content.decode()
    again = client.post(url, {"employees": "41", "currency": "THB", "sector": "manufacturing"}, follow=True)
    assert "sent again" not in again.content.decode()  # once: it is pending now


def test_a_join_request_with_a_wrong_check_digit_is_said_at_the_number(client):
    client.force_login(UserFactory(language="en"))

    response = client.post(reverse("companies:join"), {"country": "TH", "registration_no": "0105536112015"})

    assert response.status_code == 400
    errors = response.context["join_form"].errors
    assert errors["registration_no"][0].startswith("This Thai juristic person number is not valid")
    assert 'id="join_registration_no_error"' in response.content.decode()
    assert JoinRequest.objects.count() == 0


@pytest.mark.parametrize("approve", [True, False])
def test_a_join_request_names_who_asks_and_its_answer_says_what_next(client, approve):
    """The owners read who asks (name and address: two requests never look alike); once one owner answers,
    the request waits for no owner's bell; the applicant reads the answer itself, led to the company's page
    or, declined, to where one joins or registers a company."""
    from portal.notifications.kinds import get_kind
    from portal.notifications.models import Notification

    def said(row):  # (subject, sentence) as the list shows them, in English
        return get_kind(row.kind).render(row.context)

    owner_membership = MembershipFactory(company__country="JP", user__language="en")
    company, owner = owner_membership.company, owner_membership.user
    other_owner = MembershipFactory(company=company, role=MembershipRole.OWNER).user
    applicant = UserFactory(first_name="Kenji", last_name="Kato", email="kenji@example.jp", language="en")
    client.force_login(applicant)
    client.post(reverse("companies:join"), {"country": "JP", "registration_no": company.registration_no})
    join_request = JoinRequest.objects.get()

    asked = Notification.objects.get(recipient=owner, kind="companies.join_requested")
    assert said(asked)[0] == f"Kenji Kato (kenji@example.jp) asks to join {company.name_en}"

    client.force_login(owner)
    decision = "approve" if approve else "decline"
    client.post(reverse("companies:join_answer", args=[company.pk, join_request.pk]), {"decision": decision})

    waiting = Notification.objects.filter(kind="companies.join_requested", read_at=None)
    assert not waiting.filter(recipient__in=[owner, other_owner]).exists()
    answer = Notification.objects.get(recipient=applicant, kind="companies.join_decided")
    if approve:
        assert said(answer)[1] == "An owner approved your request: the company is now on your dashboard."
        assert answer.url == reverse("companies:detail", args=[company.pk])
    else:
        assert said(answer)[1] == (
            "An owner declined your request. Ask the company, or register your own company."
        )
        assert answer.url == reverse("companies:start")
