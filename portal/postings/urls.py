from django.urls import path

from portal.postings import views

app_name = "postings"
urlpatterns = [
    path("", views.posting_search_page, name="list"),
    path("<int:pk>/", views.posting_detail, name="detail"),
    path("<int:pk>/edit/", views.posting_edit, name="edit"),
    path("<int:pk>/status/", views.posting_status, name="status"),
    path("<int:pk>/moderation/", views.posting_moderation, name="moderation"),
    path("company/<int:company_pk>/", views.posting_list, name="company"),
    path("company/<int:company_pk>/new/", views.posting_new, name="new"),
]
