from django.urls import path

from . import feeds, views

app_name = "tracking"

urlpatterns = [
    path("tracking/", views.DashboardView.as_view(kind="all"), name="dashboard"),
    path("tracking/data/<slug:dataset>.csv", views.dashboard_csv, name="dashboard_csv"),
    path("tracking/convenings/<slug:slug>/", views.DashboardView.as_view(kind="convening"), name="convening_dashboard"),
    path(
        "tracking/convenings/<slug:slug>/data/<slug:dataset>.csv",
        views.dashboard_csv,
        {"kind": "convening"},
        name="convening_dashboard_csv",
    ),
    path("tracking/themes/<slug:slug>/", views.DashboardView.as_view(kind="theme"), name="theme_dashboard"),
    path(
        "tracking/themes/<slug:slug>/data/<slug:dataset>.csv",
        views.dashboard_csv,
        {"kind": "theme"},
        name="theme_dashboard_csv",
    ),
    path("tracking/addressees/<slug:slug>/", views.DashboardView.as_view(kind="addressee"), name="addressee_dashboard"),
    path(
        "tracking/addressees/<slug:slug>/data/<slug:dataset>.csv",
        views.dashboard_csv,
        {"kind": "addressee"},
        name="addressee_dashboard_csv",
    ),
    # The donor's view of responses without news for months (tracking/stalled_selectors.py).
    path("tracking/stalled/", views.stalled, name="stalled"),
    path("tracking/stalled.csv", views.stalled_export, {"extension": "csv"}, name="stalled_export_csv"),
    path("tracking/stalled.xlsx", views.stalled_export, {"extension": "xlsx"}, name="stalled_export_xlsx"),
    path("tracking/recommendations/<int:pk>/updates/new/", views.status_update_record, name="status_update_record"),
    path("tracking/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("tracking/next-steps/<int:pk>/", views.next_step_edit, name="next_step_edit"),
    path("tracking/follow/", views.follow, name="follow"),
    path("tracking/following/", views.following, name="following"),
    path("tracking/searches/new/", views.saved_search_create, name="saved_search_create"),
    path("tracking/searches/<int:pk>/delete/", views.saved_search_delete, name="saved_search_delete"),
    path("tracking/digest/", views.digest_subscription, name="digest_subscription"),
    path("tracking/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    # Feeds: public reads only (tracking.feeds); the query string is the list's filters.
    path("feeds/recommendations.atom", feeds.RecommendationFeed(), name="feed_recommendations"),
    path("feeds/status.atom", feeds.StatusFeed(), name="feed_status"),
    *[
        path(f"feeds/{plural}/<slug:slug>/{name}.atom", feed, {"kind": kind}, name=f"{kind}_feed_{name}")
        for kind, plural in (("theme", "themes"), ("addressee", "addressees"), ("convening", "convenings"))
        for name, feed in (("recommendations", feeds.RecommendationFeed()), ("status", feeds.StatusFeed()))
    ],
    path("feeds/next-steps.ics", feeds.next_steps_calendar, name="calendar_next_steps"),
    path(
        "feeds/convenings/<slug:slug>/next-steps.ics", feeds.next_steps_calendar, name="convening_calendar_next_steps"
    ),
    path("feeds/letters.ics", feeds.letters_calendar, name="calendar_letters"),
]
