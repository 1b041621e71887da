from django.urls import path

from portal.companies.views import coordinator, directory, manage

app_name = "companies"
urlpatterns = [
    path("directory/", directory.directory, name="directory"),
    path("directory/<int:pk>/", directory.company_detail, name="detail"),
    path("directory/suggestions.json", directory.suggestions, name="suggestions"),
    path("companies/new/", manage.company_start, name="start"),
    path("companies/join/", manage.join_request_new, name="join"),
    path("companies/<int:pk>/edit/<slug:step>/", manage.company_edit, name="edit"),
    path("companies/<int:pk>/members/", manage.company_members, name="members"),
    path("companies/<int:pk>/members/<int:membership_pk>/", manage.membership_change, name="membership"),
    path("companies/<int:pk>/requests/<int:request_pk>/", manage.join_request_answer, name="join_answer"),
    path("coordinator/vetting/", coordinator.vetting_queue, name="vetting"),
    path("coordinator/vetting/<int:pk>/", coordinator.vetting_decide, name="vetting_decide"),
    path("coordinator/import/", coordinator.import_page, name="import"),
    path("coordinator/import/<int:pk>/", coordinator.import_job, name="import_job"),
    path("coordinator/import/<int:pk>/status.json", coordinator.import_job_status, name="import_job_status"),
    path("coordinator/export.<str:fmt>", coordinator.export, name="export"),
]
