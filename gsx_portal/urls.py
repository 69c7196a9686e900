from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from consultations import urls_secretariat as consultations_secretariat
from events import urls_secretariat as events_secretariat
from events import views as event_views
from importing import urls as importing_urls
from recommendations import urls_secretariat as recommendations_secretariat

from . import health

# One namespace for the secretariat's screens, whichever app each belongs to.
secretariat_urls = [
    *events_secretariat.urlpatterns,
    *importing_urls.urlpatterns,
    *recommendations_secretariat.urlpatterns,
    *consultations_secretariat.urlpatterns,
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("_nested_admin/", include("nested_admin.urls")),
    path("secretariat/", include((secretariat_urls, "secretariat"))),
    path("", event_views.home, name="home"),
    path("", include("events.urls")),
    path("", include("recommendations.urls")),
    path("", include("organizations.urls")),
    path("", include("organizations.urls_accounts")),
    path("", include("publications.urls")),
    path("", include("tracking.urls")),
    path("", include("consultations.urls")),
    path("", include("api.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

admin.site.site_header = "GSX Portal · Secretariat"
admin.site.site_title = "GSX Portal"
