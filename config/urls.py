"""Routes de premier niveau."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Pilotage partagé – administration"
admin.site.site_title = "Pilotage partagé"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comptes/", include("pilotage.comptes.urls")),
    path("referentiel/", include("pilotage.referentiel.urls")),
    path("", include("pilotage.core.urls")),
    path("", include("pilotage.contrats.urls")),
    path("", include("pilotage.documents.urls")),
    path("", include("pilotage.suivi.urls")),
    path("", include("pilotage.reunions.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
