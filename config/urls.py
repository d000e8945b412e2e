"""Routes de premier niveau."""

from django.contrib import admin
from django.urls import include, path

from pilotage.comptes import urls as comptes_urls

admin.site.site_header = "Pilotage partagé – administration"
admin.site.site_title = "Pilotage partagé"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("comptes/", include("pilotage.comptes.urls")),
    path("oidc/", include(comptes_urls.oidc_urlpatterns)),  # ProConnect
    path("referentiel/", include("pilotage.referentiel.urls")),
    path("", include("pilotage.core.urls")),
    path("", include("pilotage.contrats.urls")),
    path("", include("pilotage.journal.urls")),
    path("", include("pilotage.documents.urls")),
    path("", include("pilotage.suivi.urls")),
    path("", include("pilotage.reunions.urls")),
    path("", include("pilotage.rapports.urls")),
    path("", include("pilotage.consolidation.urls")),
    path("espace/", include("pilotage.espace.urls")),
]

# Aucune route ne sert MEDIA_ROOT, pas même en développement : les fichiers déposés ne
# sont lus que par les vues qui vérifient l'accès (`pilotage.core.files`).
