"""URLs of the events app (mounted at /events/ by portal.urls)."""

from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_edit, name="new"),
    path("<slug:slug>/", views.event_detail, name="detail"),
    path("<slug:slug>/edit/", views.event_edit, name="edit"),
    path("<slug:slug>/me/", views.my_participation, name="mine"),
    path("<slug:slug>/exhibit/<int:company_pk>/", views.register_exhibitor, name="exhibit"),
    path("<slug:slug>/participants/<int:pk>/answer/", views.respond_invitation, name="respond"),
    path(
        "<slug:slug>/participants/<int:pk>/representatives/", views.add_representative, name="representative"
    ),
    path("<slug:slug>/participants/<int:pk>/availability/", views.set_availability, name="availability"),
    path("<slug:slug>/participants/<int:pk>/partners/", views.participants, name="participants"),
    path("<slug:slug>/participants/<int:pk>/request/<int:other_pk>/", views.request_meeting, name="request"),
    path("<slug:slug>/participants/<int:pk>/agenda/", views.agenda, name="agenda"),
    path("<slug:slug>/participants/<int:pk>/agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("<slug:slug>/participants/<int:pk>/agenda.pdf", views.agenda_pdf, name="agenda_pdf"),
    path(
        "<slug:slug>/participants/<int:pk>/meetings/<int:meeting_pk>/report/",
        views.report_meeting,
        name="report",
    ),
    path("<slug:slug>/requests/<int:pk>/answer/", views.answer_request, name="answer"),
    path("<slug:slug>/manage/", views.manage, name="manage"),
    path("<slug:slug>/manage/delegations/<int:pk>/", views.delegation_detail, name="delegation"),
    path("<slug:slug>/manage/participants/<int:pk>/", views.decide_participant, name="decide"),
    path("<slug:slug>/manage/schedule/", views.schedule_run_start, name="schedule"),
    path("<slug:slug>/manage/schedule/<int:pk>/", views.schedule_run_detail, name="run"),
    path("<slug:slug>/manage/grid/", views.grid, name="grid"),
    path("<slug:slug>/manage/meetings/<int:pk>/", views.record_meeting, name="record"),
    path("<slug:slug>/manage/reports/", views.meeting_reports, name="reports"),
    path("<slug:slug>/manage/kpis/", views.kpi_dashboard, name="kpis"),
]
