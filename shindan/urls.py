"""URLs of the shindan app (mounted at /shindan/ by portal.urls)."""

from django.urls import path

from shindan.views import desk, diagnosis

app_name = "shindan"
urlpatterns = [
    path("", desk.home, name="home"),
    path("profile/", desk.profile, name="profile"),
    path("assignments/", desk.assignments, name="assignments"),
    path("assignments/companies.json", desk.assignment_companies, name="assignment_companies"),
    path("assignments/<int:pk>/end/", desk.assignment_end, name="assignment_end"),
    path("checklists/", desk.checklists, name="checklists"),
    path("checklists/<int:pk>/", desk.checklist_detail, name="checklist"),
    path("checklists/<int:pk>/publish/", desk.checklist_publish, name="checklist_publish"),
    path("companies/<int:company_pk>/new/", diagnosis.create, name="create"),
    path("diagnoses/<int:pk>/", diagnosis.detail, name="diagnosis"),
    path("diagnoses/<int:pk>/stage/", diagnosis.transition, name="transition"),
    path("diagnoses/<int:pk>/revision/", diagnosis.revision, name="revision"),
    path("diagnoses/<int:pk>/areas/<str:code>/", diagnosis.area, name="area"),
    path("diagnoses/<int:pk>/photos/<int:score_pk>/", diagnosis.evidence_photo, name="evidence_photo"),
    path("diagnoses/<int:pk>/statements/", diagnosis.statements, name="statements"),
    path("diagnoses/<int:pk>/statements/<int:statement_pk>/", diagnosis.statements, name="statement"),
    path("diagnoses/<int:pk>/plan/", diagnosis.plan, name="plan"),
    path(
        "diagnoses/<int:pk>/plan/<str:kind>/<int:obj_pk>/delete/", diagnosis.plan_delete, name="plan_delete"
    ),
    path("diagnoses/<int:pk>/actions/<int:action_pk>/status/", diagnosis.action_status, name="action_status"),
    path("diagnoses/<int:pk>/follow-ups/", diagnosis.follow_ups, name="follow_ups"),
    path("diagnoses/<int:pk>/history/", diagnosis.history, name="history"),
    path("diagnoses/<int:pk>/report/", diagnosis.report_page, name="report"),
    path("diagnoses/<int:pk>/report.pdf", diagnosis.report_pdf, name="report_pdf"),
]
