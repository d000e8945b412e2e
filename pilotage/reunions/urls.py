"""Adresses des réunions de suivi. Chaque groupe de vues a son module dans views/."""

from django.urls import path

from .views import calendrier, decisions, documents, planning, seance

app_name = "reunions"

R = "contrats/<int:pk>/reunions/<int:reunion_pk>/"

urlpatterns = [
    # Planification (views/planning.py)
    path("contrats/<int:pk>/reunions/", planning.reunion_list, name="list"),
    path("contrats/<int:pk>/reunions/nouvelle/", planning.reunion_create, name="create"),
    path("contrats/<int:pk>/reunions.ics", planning.contrat_ics, name="contrat_ics"),
    path("calendrier/<str:jeton>.ics", planning.flux_ics, name="flux_ics"),
    path("calendrier/abonnements/", planning.abonnements, name="abonnements"),
    path(
        "calendrier/abonnements/<int:jeton_pk>/revoquer/",
        planning.abonnement_revoke,
        name="abonnement_revoke",
    ),
    path(
        "contrats/<int:pk>/calendrier/abonnement/",
        planning.abonnement_create,
        name="abonnement_create",
    ),
    path(R, planning.reunion_detail, name="detail"),
    path(R + "modifier/", planning.reunion_edit, name="edit"),
    path(R + "participants/", planning.participants, name="participants"),
    path(R + "ordre-du-jour/temps/", planning.durees, name="durees"),
    path(R + "invitations/", planning.invitations_send, name="invitations"),
    path(R + "invitation.ics", planning.reunion_ics, name="ics"),
    path("contrats/<int:pk>/decisions/", planning.decisions, name="decisions"),
    # Séance projetée et notes (views/seance.py), décisions (views/decisions.py)
    path(R + "seance/", seance.seance, name="seance"),
    path(R + "seance/<int:numero>/", seance.seance_fiche, name="seance_fiche"),
    path(R + "seance/<int:numero>/notes/<str:encart>/", seance.note_save, name="note"),
    path(R + "seance/<int:numero>/decisions/", decisions.decision_create, name="decision_create"),
    path(
        "contrats/<int:pk>/decisions/<int:decision_pk>/", decisions.decision_edit, name="decision"
    ),
    path(
        "contrats/<int:pk>/decisions/<int:decision_pk>/appliquer/",
        decisions.decision_apply,
        name="decision_apply",
    ),
    path(
        "contrats/<int:pk>/decisions/<int:decision_pk>/clore/",
        decisions.decision_close,
        name="decision_close",
    ),
    # Dossier de préparation et compte rendu (views/documents.py)
    path(R + "dossier/", documents.dossier, name="dossier"),
    path(R + "dossier.<str:fmt>", documents.dossier_export, name="dossier_export"),
    path(R + "compte-rendu/", documents.compte_rendu, name="compte_rendu"),
    path(R + "compte-rendu.<str:fmt>", documents.compte_rendu_export, name="compte_rendu_export"),
    path(R + "compte-rendu/validation/", documents.compte_rendu_validation, name="validation"),
    # Vue calendaire d'une fiche (views/calendrier.py)
    path(
        "contrats/<int:pk>/fiches/<int:numero>/calendrier/",
        calendrier.fiche_calendrier,
        name="fiche_calendrier",
    ),
    path(
        "contrats/<int:pk>/fiches/<int:numero>/calendrier.pdf",
        calendrier.fiche_calendrier_pdf,
        name="fiche_calendrier_pdf",
    ),
]
