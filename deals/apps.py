from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "deals"
    verbose_name = _("Deals")

    def ready(self) -> None:
        from deals.kinds import register_kinds
        from deals.models import Attachment
        from deals.panels import conversation_panel, posting_panel, sent_proposals_panel
        from deals.privacy import register_personal_data
        from deals.todos import deal_todos
        from portal.companies.panels import register_company_panel
        from portal.core.dashboard import register_todos
        from portal.core.storage import connect_file_cleanup
        from portal.postings.panels import register_posting_panel, register_postings_search_panel

        register_kinds()
        register_company_panel(conversation_panel)
        register_posting_panel(posting_panel)
        register_postings_search_panel(sent_proposals_panel)
        register_personal_data()
        connect_file_cleanup([Attachment])
        register_todos(deal_todos)
