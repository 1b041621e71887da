from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from allauth.account.views import EmailView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal.accounts import mfa, selectors, services
from portal.accounts.forms import ApiTokenForm, PreferencesForm
from portal.accounts.rules import has_totp
from portal.accounts.services import SUPPORTED_LANGUAGES, user_set_language, user_update_preferences
from portal.core.seo import relocalize


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher; a signed-in user's choice is also saved as their preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if response.status_code == 302 and language in SUPPORTED_LANGUAGES:
        # On a page under a language prefix (/ja/directory/3/) the switch goes to the same page in the
        # chosen language (/th/directory/3/): the prefix, not the cookie, sets a public page's language.
        response["Location"] = relocalize(response["Location"], language)
    if request.user.is_authenticated and language in SUPPORTED_LANGUAGES:
        user_set_language(user=request.user, language=language)
    return response


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    form = PreferencesForm(request.POST or None, initial=PreferencesForm.initial_for(request.user))
    if request.method == "POST" and form.is_valid():
        user = user_update_preferences(user=request.user, **form.cleaned_data)
        if user.language:
            translation.activate(user.language)
        messages.success(request, _("Your preferences were saved."))
        return redirect("account_preferences")
    return render(request, "account/preferences.html", {"form": form})


@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens, and a new one: its secret is in this one answer only (never stored, never
    cached)."""
    user = request.user
    verified_recently = mfa.verified_recently(request, user)
    form = ApiTokenForm(request.POST or None, ask_code=has_totp(user) and not verified_recently)
    created = secret = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.api_token_issue(
                user=user,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["expires_in_days"],
                code=form.cleaned_data.get("code", ""),
                verified_recently=verified_recently,
            )
        except ValidationError as error:
            _add_errors(form, error)
        except (mfa.TooManyAttempts, services.SecondFactorRequired) as error:
            form.add_error(None, str(error))
        else:
            form = ApiTokenForm(ask_code=has_totp(user) and not verified_recently)
    context = {
        "form": form,
        "tokens": selectors.api_token_list_for_user(user=user),
        "created": created,
        "secret": secret,
        "now": timezone.now(),
    }
    response = render(request, "account/api_tokens.html", context)
    add_never_cache_headers(response)
    return response


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = selectors.api_token_get_for_user(user=request.user, pk=pk)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("account_api_tokens")


_email_page = EmailView.as_view()
_email_page_after_password = reauthentication_required(_email_page)


def email_addresses(request: HttpRequest) -> HttpResponse:
    """allauth's e-mail addresses page (``account_email``). Making a confirmed address the one the account
    signs in and resets its password with, or removing an address, asks for the password again unless the
    person entered it in the last few minutes (allauth's reauthentication): a session left open must not be
    enough to move the account to another mailbox. Adding an address (its owner must confirm it) and
    sending a confirmation again do not ask."""
    if request.method == "POST" and _moves_the_account(request):
        return _email_page_after_password(request)
    return _email_page(request)


def _moves_the_account(request: HttpRequest) -> bool:
    if "action_remove" in request.POST:
        return True
    if "action_primary" not in request.POST or not request.user.is_authenticated:
        return False
    # an unconfirmed address cannot become primary anyway: allauth refuses it and says why, no password asked
    return EmailAddress.objects.filter(
        user=request.user, email__iexact=request.POST.get("email", ""), verified=True
    ).exists()
