"""Error reports (the 500 e-mail to ADMINS, the debug page) never carry personal data: POST fields that
hold contacts, names, e-mail addresses or phone numbers are masked like passwords."""

import re

from django.views.debug import SafeExceptionReporterFilter

PERSONAL_FIELD = re.compile(
    r"contact|email|e-mail|phone|name|representative|interviewee|people-", re.IGNORECASE
)


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        cleaned = parameters.copy()
        for key in cleaned:
            if PERSONAL_FIELD.search(key):
                cleaned[key] = self.cleansed_substitute
        return cleaned
