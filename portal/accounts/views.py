from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from portal.accounts.forms import PreferencesForm
from portal.accounts.services import SUPPORTED_LANGUAGES, user_set_language, user_update_preferences


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher; a signed-in user's choice is also saved as their preference."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
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
