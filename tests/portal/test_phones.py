"""Phone numbers (docs/domain.md "Phone numbers"): national Thai and Japanese forms and the international
form are read by the company's country, stored in E.164, shown national to a viewer of the same country
and international otherwise; the same reading in the onboarding form, the import and the service."""

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portal.companies.forms import CompanyAboutForm
from portal.companies.importer import ImportFailed, import_companies
from portal.companies.models import CompanyContact
from portal.companies.services import company_set_primary_contact
from portal.core.phones import INVALID_PHONE, format_phone, normalize_phone
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.portal.test_importer import GOOD, JAPANESE, _csv


@pytest.mark.parametrize(
    ("typed", "country", "stored"),
    [
        ("02 123 4567", "TH", "+6621234567"),  # Bangkok landline
        ("02-123-4567", "TH", "+6621234567"),
        ("081 234 5678", "TH", "+66812345678"),  # mobile
        ("089-999-9999", "TH", "+66899999999"),
        ("038 123 456", "TH", "+6638123456"),  # Chon Buri landline
        ("+66 2 123 4567", "TH", "+6621234567"),
        ("+66 2 123 4567", "JP", "+6621234567"),  # international form whatever the country
        ("03-1234-5678", "JP", "+81312345678"),  # Tokyo landline
        ("090-1234-5678", "JP", "+819012345678"),  # mobile
        ("052-123-4567", "JP", "+81521234567"),  # Nagoya
        ("+81 3-1234-5678", "TH", "+81312345678"),
        ("+81312345678", "", "+81312345678"),
        ("", "TH", ""),
        ("   ", "JP", ""),
    ],
)
def test_national_and_international_forms_are_stored_in_e164(typed, country, stored):
    assert normalize_phone(typed, country=country) == stored


@pytest.mark.parametrize(
    ("typed", "country"),
    [
        ("12345", "TH"),
        ("02 123", "TH"),
        ("081 234 56789 0", "TH"),
        ("090-1234", "JP"),
        ("03-1234-567", "JP"),
        ("call me", "TH"),
        ("+66 1", "JP"),
        ("02 123 4567", ""),  # a national form without a country cannot be read
        ("+" + "1" * 45, "TH"),
    ],
)
def test_invalid_numbers_are_refused_with_a_code(typed, country):
    with pytest.raises(ValidationError) as refused:
        normalize_phone(typed, country=country)

    assert refused.value.code == INVALID_PHONE


def test_the_refusal_names_examples_of_the_company_country_in_the_reader_language():
    with pytest.raises(ValidationError) as thai:
        normalize_phone("12345", country="TH")
    with pytest.raises(ValidationError) as japanese:
        normalize_phone("12345", country="JP")

    assert thai.value.messages == ["Enter a valid phone number, e.g. 02 123 4567 or +66 2 123 4567."]
    assert japanese.value.messages == ["Enter a valid phone number, e.g. 03-1234-5678 or +81 3-1234-5678."]
    for language in ("th", "ja"):
        with translation.override(language), pytest.raises(ValidationError) as translated:
            normalize_phone("12345", country="TH")
        message = translated.value.messages[0]
        assert message != thai.value.messages[0]
        assert "02 123 4567" in message


@pytest.mark.parametrize(
    ("stored", "viewer", "shown"),
    [
        ("+6621234567", "TH", "02 123 4567"),
        ("+66812345678", "TH", "081 234 5678"),
        ("+6621234567", "JP", "+66 2 123 4567"),
        ("+6621234567", "", "+66 2 123 4567"),
        ("+81312345678", "JP", "03-1234-5678"),
        ("+819012345678", "JP", "090-1234-5678"),
        ("+81312345678", "TH", "+81 3-1234-5678"),
        ("", "TH", ""),
        ("not a number", "TH", "not a number"),
    ],
)
def test_display_is_national_for_the_same_country_and_international_otherwise(stored, viewer, shown):
    assert format_phone(stored, viewer_country=viewer) == shown


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "typed", "stored"),
    [("TH", "081 234 5678", "+66812345678"), ("JP", "090-1234-5678", "+819012345678")],
)
def test_the_onboarding_form_reads_the_company_country(country, typed, stored):
    form = CompanyAboutForm(
        {"description_en": "Molds", "contact_name": "Napat", "contact_phone": typed}, country=country
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact_phone"] == stored


@pytest.mark.django_db
def test_the_onboarding_form_refuses_an_invalid_number_and_the_page_writes_nothing(client):
    membership = MembershipFactory(company=CompanyFactory(country="JP"))
    client.force_login(membership.user)

    response = client.post(
        reverse("companies:edit", args=[membership.company.pk, "about"]),
        {"description_en": "Precision machining", "contact_name": "Kato", "contact_phone": "090-1234"},
    )

    assert response.status_code == 400
    assert response.context["form"].errors["contact_phone"] == [
        "Enter a valid phone number, e.g. 03-1234-5678 or +81 3-1234-5678."
    ]
    assert not CompanyContact.objects.exists()


@pytest.mark.django_db
def test_the_edit_form_shows_the_stored_number_in_the_national_form(client):
    membership = MembershipFactory(company=CompanyFactory(country="JP"))
    CompanyContact.objects.create(company=membership.company, name="Kato", phone="+819012345678")
    client.force_login(membership.user)

    response = client.get(reverse("companies:edit", args=[membership.company.pk, "about"]))

    assert response.context["form"].initial["contact_phone"] == "090-1234-5678"


@pytest.mark.django_db
def test_the_service_stores_e164_and_refuses_with_a_code():
    company = CompanyFactory(country="TH")

    contact = company_set_primary_contact(company=company, name="Malee", phone="02-123-4567")

    assert contact.phone == "+6621234567"
    with pytest.raises(ValidationError) as refused:
        company_set_primary_contact(company=company, name="Malee", phone="0")
    assert refused.value.code == INVALID_PHONE
    contact.refresh_from_db()
    assert contact.phone == "+6621234567"


@pytest.mark.django_db
def test_the_import_reads_national_numbers_by_the_row_country():
    thai = {**GOOD, "contact_phone": "081-234-5678"}
    japanese = {**JAPANESE, "contact_name": "Kato Ichiro", "contact_phone": "03-1234-5678"}

    import_companies(data=_csv(thai, japanese), filename="companies.csv")

    phones = dict(CompanyContact.objects.values_list("company__country", "phone"))
    assert phones == {"TH": "+66812345678", "JP": "+81312345678"}


@pytest.mark.django_db
def test_the_import_refuses_an_invalid_number_with_line_and_column():
    japanese = {**JAPANESE, "contact_name": "Kato Ichiro", "contact_phone": "090-12"}

    with pytest.raises(ImportFailed) as failure:
        import_companies(data=_csv(GOOD, japanese), filename="companies.csv")

    assert [(e.line, e.column, e.message) for e in failure.value.errors] == [
        (3, "contact_phone", "Enter a valid phone number, e.g. 03-1234-5678 or +81 3-1234-5678.")
    ]
    assert not CompanyContact.objects.exists()


@pytest.mark.django_db
def test_the_profile_shows_contacts_national_to_the_same_country_and_international_otherwise(client):
    thai = CompanyFactory(country="TH")
    japanese = CompanyFactory(country="JP")
    CompanyContact.objects.create(company=thai, name="Malee", phone="+6621234567")
    CompanyContact.objects.create(company=japanese, name="Kato", phone="+819012345678")
    coordinator = UserFactory(role="coordinator")
    japanese_member = MembershipFactory(company=japanese).user

    client.force_login(coordinator)
    assert ">02 123 4567</a>" in client.get(reverse("companies:detail", args=[thai.pk])).content.decode()
    assert (
        ">+81 90-1234-5678</a>"
        in client.get(reverse("companies:detail", args=[japanese.pk])).content.decode()
    )

    client.force_login(japanese_member)
    page = client.get(reverse("companies:detail", args=[japanese.pk])).content.decode()
    assert ">090-1234-5678</a>" in page
    assert 'href="tel:+819012345678"' in page


def test_the_filter_takes_a_country_for_e_mails():
    template = Template("{% load companies %}{{ phone|phone:'JP' }} / {{ phone|phone:'TH' }}")

    assert template.render(Context({"phone": "+6621234567"})) == "+66 2 123 4567 / 02 123 4567"


def test_the_about_step_asks_the_readers_language_first():
    from django.utils import translation

    for language, first in (("ja", "ja"), ("th", "th"), ("en", "en")):
        with translation.override(language):
            form = CompanyAboutForm(country="TH")
            names = list(form.fields)
            assert names[:2] == [f"pitch_{first}", "pitch_en" if first != "en" else "pitch_th"]
            assert names.index(f"description_{first}") == 3
            assert str(form.fields[f"pitch_{first}"].help_text) == translation.gettext(
                "Shown on every card of your company, e.g. “Precision aluminium die-casting for EV parts”."
            )
            assert names[-3:] == ["contact_name", "contact_email", "contact_phone"]
