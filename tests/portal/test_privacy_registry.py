"""Every model that holds personal data answers for it in portal/privacy/registry.py (issue 12, item 6).

The app registry is the source: a model with a ForeignKey, OneToOneField or ManyToManyField to the user
model, an e-mail, phone or address field, or a person's name, must have an entry that names those fields,
exports them ("download my data") and erases them (or says why its rows are kept). A new model that forgets
fails here."""

import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models

from portal.privacy import registry

# Fields called "name" that are not a person's: vocabularies, companies, events, groups of people.
NOT_A_PERSON = {
    "auth.Permission",
    "auth.Group",
    "sites.Site",
    "core.PendingTask",
    "taxonomy.Industry",
    "showcase.Product",  # a product's name, not a person's
    "taxonomy.Capability",
    "taxonomy.Certification",
    "taxonomy.LookingFor",
    "taxonomy.Region",
    "companies.Company",
    "events.Event",
    "events.Delegation",
}
CONTACT_FIELD = re.compile(r"phone|e_?mail|address")
NAME_FIELD = re.compile(r"(^|_)name($|_)")


def _is_personal(model, field) -> bool:
    if field.is_relation and field.related_model is get_user_model():
        return True
    if isinstance(field, models.EmailField | models.GenericIPAddressField):
        return True
    if CONTACT_FIELD.search(field.name):
        return True
    return (
        isinstance(field, models.CharField | models.TextField)
        and bool(NAME_FIELD.search(field.name))
        and model._meta.label not in NOT_A_PERSON
    )


def personal_fields(model) -> set[str]:
    return {
        field.name
        for field in model._meta.get_fields()
        if getattr(field, "concrete", False) and _is_personal(model, field)
    }


def models_with_personal_data() -> dict[str, set[str]]:
    return {
        model._meta.label: fields
        for model in apps.get_models()
        if not model._meta.proxy and (fields := personal_fields(model))
    }


def test_every_model_with_a_user_or_personal_field_is_covered():
    missing = {
        label: sorted(fields - set(registry.entries[label].fields) if label in registry.entries else fields)
        for label, fields in models_with_personal_data().items()
    }
    missing = {label: fields for label, fields in missing.items() if fields}
    assert missing == {}, (
        "register these models' personal data in portal/privacy/registry.py (export, and erase or kept): "
        f"{missing}"
    )


def test_every_entry_exports_and_erases_or_says_why_it_keeps():
    for label, entry in registry.entries.items():
        assert apps.get_model(label) is not None
        assert callable(entry.export), label
        assert callable(entry.erase) or entry.kept, label


def test_the_models_found_are_the_ones_expected():
    """The introspection itself finds what it should (so the test above cannot pass by finding nothing)."""
    found = models_with_personal_data()

    assert found["companies.CompanyContact"] == {"name", "email", "phone"}
    assert found["shindan.Diagnosis"] == {"created_by", "consultants"}
    assert found["events.Representative"] == {"name"}
    assert found["matching.Introduction"] == {"requested_by", "coordinator"}
    assert found["account.EmailConfirmation"] == {"email_address"}
    assert "taxonomy.Industry" not in found
    assert len(found) >= 30


def test_an_unregistered_model_with_a_user_field_would_fail(monkeypatch):
    monkeypatch.delitem(registry.entries, "matching.Interest")

    with pytest.raises(AssertionError, match="matching.Interest"):
        test_every_model_with_a_user_or_personal_field_is_covered()


def test_an_entry_must_erase_or_say_why_it_keeps():
    with pytest.raises(ValueError, match="say why"):
        registry.register("matching.Interest", fields=("actor",), export=lambda user, companies: {})
