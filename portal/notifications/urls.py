from django.urls import path

from portal.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("unread/", views.unread, name="unread"),
    path("read/", views.mark_read, name="read"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("preferences/", views.preferences, name="preferences"),
    path("searches/", views.saved_searches, name="searches"),
    path("unsubscribe/<str:token>/", views.unsubscribe_view, name="unsubscribe"),
]
