from django.urls import path

from portal.showcase import views

app_name = "showcase"
urlpatterns = [
    path("companies/<int:company_pk>/showcase/", views.showcase_manage, name="manage"),
    path("companies/<int:company_pk>/showcase/new/", views.product_new, name="new"),
    path("showcase/<int:pk>/", views.product_detail, name="detail"),
    path("showcase/<int:pk>/edit/", views.product_edit, name="edit"),
    path("showcase/<int:pk>/delete/", views.product_delete, name="delete"),
    path("showcase/<int:pk>/move/", views.product_move, name="move"),
    path("showcase/<int:pk>/moderation/", views.product_moderation, name="moderation"),
    path("showcase/<int:pk>/photos/", views.photo_add, name="photo_add"),
    path("showcase/photos/<int:pk>/delete/", views.photo_delete, name="photo_delete"),
    path("showcase/photos/<int:pk>/move/", views.photo_move, name="photo_move"),
    path("showcase/<int:pk>/brochures/", views.brochure_add, name="brochure_add"),
    path("showcase/brochures/<int:pk>/delete/", views.brochure_delete, name="brochure_delete"),
    path("showcase/brochures/<int:pk>/download/", views.brochure_download, name="brochure"),
    path("showcase/files/<str:name>", views.showcase_file, name="file"),
]
