from django.urls import path

from deals import views

app_name = "deals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("unread/", views.unread, name="unread"),
    path("open/<int:partner_pk>/", views.conversation_open, name="open"),
    path("c/<int:pk>/", views.conversation_detail, name="conversation"),
    path("c/<int:pk>/poll/", views.conversation_poll, name="poll"),
    path("c/<int:pk>/block/", views.conversation_block, name="block"),
    path("c/<int:pk>/report/", views.conversation_report, name="report"),
    path("c/<int:pk>/help/", views.conversation_help, name="help"),
    path("c/<int:pk>/step/", views.conversation_step, name="step"),
    path("c/<int:pk>/close/", views.conversation_close, name="close"),
    path("m/<int:pk>/edit/", views.message_edit, name="message_edit"),
    path("m/<int:pk>/delete/", views.message_delete, name="message_delete"),
    path("m/<int:pk>/translate/", views.message_translate, name="translate"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("needs/<int:posting_pk>/propose/", views.proposal_new, name="propose"),
    path("needs/<int:posting_pk>/proposals/", views.need_proposals, name="need_proposals"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/decide/", views.proposal_decide, name="proposal_decide"),
    path("desk/", views.desk, name="desk"),
    path("desk/invites/<int:pk>/", views.desk_invite, name="desk_invite"),
    path("desk/reports/<int:pk>/", views.desk_report, name="desk_report"),
]
