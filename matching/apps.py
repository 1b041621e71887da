from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from matching.kinds import register_kinds
        from matching.panels import partner_panel
        from matching.privacy import register_personal_data
        from matching.selectors import user_is_introduced_to_company
        from matching.todos import matching_todos
        from matching.understanding.panel import stated_on_vetting_card, text_reading_panel
        from portal.companies.panels import register_company_panel, register_vetting_panel
        from portal.companies.rules import register_contact_grant
        from portal.companies.signals import company_changed
        from portal.core.dashboard import register_todos

        register_contact_grant(lambda user, company: user_is_introduced_to_company(user, company))
        register_kinds()
        register_company_panel(partner_panel)
        register_company_panel(text_reading_panel)
        register_vetting_panel(stated_on_vetting_card)
        company_changed.connect(_rescore, dispatch_uid="matching.rescore_on_change", weak=False)
        register_personal_data()
        register_todos(matching_todos)


def _rescore(sender, company_id: int, **kwargs) -> None:
    from matching.tasks import queue_company_rescoring

    queue_company_rescoring(company_id)
