"""URLs of the matching app (mounted at /matching/ by portal.urls)."""

from django.urls import path

from matching import views
from matching.understanding import views as understanding_views

app_name = "matching"
urlpatterns = [
    path("recommendations/", views.recommendations, name="recommendations"),
    path("companies/<int:pk>/partners/<int:partner_pk>/interest/", views.interest, name="interest"),
    path(
        "companies/<int:pk>/partners/<int:partner_pk>/introduction/",
        views.introduction_request,
        name="request",
    ),
    path(
        "companies/<int:pk>/stated-certificates/<slug:slug>/verify/",
        understanding_views.verify_stated_certificate,
        name="verify_stated_certificate",
    ),
    path("companies/<int:pk>/inferred/", understanding_views.inference_override, name="inference_override"),
    path("introductions/", views.introductions, name="introductions"),
    path("introductions/<int:pk>/", views.introduction_detail, name="introduction"),
    path("introductions/<int:pk>/report/", views.report_introduction, name="report"),
]
