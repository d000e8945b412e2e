"""Réunions de suivi (proposition 1 du Club des territoires) et décisions tracées.

Une `Reunion` d'un contrat a des participants, un ordre du jour de fiches
(`PointOrdreDuJour`). En séance, pour chaque fiche, on consigne les « éléments
positifs observables » et les « axes d'amélioration identifiés » (`NoteSeance` :
une note par personne et par encart, pour que deux preneurs de notes ne
s'écrasent jamais) et des `Decision` typées, qui peuvent être appliquées à la
fiche (la révision produite est reliée à la décision). Le compte rendu est
validé par les pilotes de chaque institution (`ValidationCompteRendu`) puis figé.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pilotage.contrats import permissions
from pilotage.contrats.models import Contrat, FicheAction, Habilitation
from pilotage.core.files import PrivateUploadTo
from pilotage.core.models import EmailTracking, Revision
from pilotage.territoires.models import Institution

from .rang import SommeTenues


class ReunionQuerySet(models.QuerySet):
    def a_venir(self):
        return self.filter(date__gte=timezone.now()).exclude(statut=Reunion.Statut.ANNULEE)

    def passees(self):
        return self.filter(date__lt=timezone.now()).exclude(statut=Reunion.Statut.ANNULEE)

    def avec_rang(self):
        """Annote `_rang`, le rang dans l'année (« 2026 – réunion 2 », proposition 4), et
        `_numero`, le numéro dans le contrat : la seule règle de numérotation, en SQL.

        Les réunions annulées ne comptent pas ; une réunion annulée prend le rang qu'elle
        aurait eu (les suivantes ne sont pas décalées). La fenêtre porte sur les réunions
        que le QuerySet retient : appliquer à toutes les réunions des contrats voulus,
        avant tout autre filtre (voir `selectors.reunions_rangs`)."""
        annulee = Reunion.Statut.ANNULEE
        return self.annotate(
            _rang=SommeTenues(annulee=annulee, par_annee=True),
            _numero=SommeTenues(annulee=annulee, par_annee=False),
        )

    def rangs(self) -> dict[int, tuple[int, int]]:
        """{pk: (rang dans l'année, numéro dans le contrat)} en une requête."""
        return {
            pk: (rang, numero)
            for pk, rang, numero in self.order_by()
            .avec_rang()
            .values_list("pk", "_rang", "_numero")
        }


class Reunion(models.Model):
    class Type(models.TextChoices):
        COMITE_TECHNIQUE = "comite_technique", "Comité technique"
        COMITE_SUIVI = "comite_suivi", "Comité de suivi"
        COMITE_PILOTAGE = "comite_pilotage", "Comité de pilotage"

    class Statut(models.TextChoices):
        PLANIFIEE = "planifiee", "Planifiée"
        TENUE = "tenue", "Tenue, compte rendu en préparation"
        EN_VALIDATION = "en_validation", "Compte rendu en validation"
        FIGEE = "figee", "Compte rendu validé (figé)"
        ANNULEE = "annulee", "Annulée"

    class OrdreDuJour(models.TextChoices):
        TOUTES = "toutes", "Toutes les fiches"
        A_IMPACT = "a_impact", "Les fiches « à impact »"
        SELECTION = "selection", "Une sélection de fiches"

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="reunions")
    type = models.CharField(
        "type de réunion", max_length=20, choices=Type.choices, default=Type.COMITE_SUIVI
    )
    date = models.DateTimeField("date et heure")
    duree_minutes = models.PositiveSmallIntegerField("durée prévue (minutes)", default=120)
    lieu = models.CharField("lieu", max_length=300, blank=True)
    lien_visio = models.URLField("lien de visioconférence", max_length=500, blank=True)
    ordre_du_jour = models.CharField(
        "fiches à l'ordre du jour",
        max_length=20,
        choices=OrdreDuJour.choices,
        default=OrdreDuJour.A_IMPACT,
    )
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.PLANIFIEE)
    uid = models.CharField(
        max_length=100, unique=True, editable=False, help_text="Identifiant iCalendar stable."
    )
    sequence = models.PositiveIntegerField(
        default=0, help_text="Numéro de modification iCalendar (invitations mises à jour)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fige_le = models.DateTimeField("compte rendu figé le", null=True, blank=True)
    # Exemplaires du compte rendu tel que validé : ils ne changent plus ensuite, même si
    # une décision est appliquée ou close plus tard.
    compte_rendu_pdf = models.FileField(
        "compte rendu validé (PDF)", upload_to=PrivateUploadTo("comptes-rendus"), blank=True
    )
    compte_rendu_docx = models.FileField(
        "compte rendu validé (Word)", upload_to=PrivateUploadTo("comptes-rendus"), blank=True
    )

    objects = ReunionQuerySet.as_manager()

    class Meta:
        verbose_name = "réunion de suivi"
        verbose_name_plural = "réunions de suivi"
        ordering = ["contrat_id", "date", "pk"]  # à travers les contrats : ordre_affiche

    def __str__(self):
        return f"{self.get_type_display()} du {timezone.localtime(self.date):%d/%m/%Y}"

    @property
    def titre(self) -> str:
        """« 2026 – réunion 2 » (proposition 4) : rang de la réunion dans son année."""
        return f"{self.annee} – réunion {self.rang}"

    @property
    def annee(self) -> int:
        return timezone.localtime(self.date).year

    @property
    def rang(self) -> int:
        """Rang dans l'année (`ReunionQuerySet.avec_rang`) ; une requête s'il n'est pas
        déjà posé (liste chargée par `avec_rang`, ou `selectors.reunions_rangs`)."""
        if not hasattr(self, "_rang"):
            rangs = Reunion.objects.filter(contrat_id=self.contrat_id).rangs()
            self._rang, self._numero = rangs[self.pk]
        return self._rang

    # --- Ce que chacun peut faire (la seule définition ; services et vues s'y réfèrent) ---

    def peut_organiser(self, user) -> bool:
        """Planifier, inviter, appliquer ou clore une décision, conduire le compte rendu :
        pilote du contrat."""
        return permissions.is_pilote(user, self.contrat)

    def peut_prendre_notes(self, user) -> bool:
        """Pilotes et référents de fiche du contrat prennent des notes en séance."""
        roles = permissions.roles_on(user, self.contrat)
        return user.is_superuser or bool(
            roles & {Habilitation.Role.PILOTE, Habilitation.Role.REFERENT}
        )

    def actions_possibles(self, user) -> set[str]:
        """Ce que `user` peut lancer sur cette réunion dans son état actuel : les pages
        n'affichent que ces boutons (les services refusent le reste, avec leur message).

        modifier, annuler, inviter (réunion à venir), tenir (date passée), soumettre le
        compte rendu, valider pour son institution."""
        if not self.peut_organiser(user):
            return set()
        S = Reunion.Statut
        actions = set()
        if self.statut not in (S.ANNULEE, S.FIGEE):
            actions.add("modifier")
        if self.statut == S.PLANIFIEE:
            actions.add("annuler")
        if self.statut != S.ANNULEE and not self.est_passee:
            actions.add("inviter")
        if self.statut == S.PLANIFIEE and self.date <= timezone.now():
            actions.add("tenir")
        if self.statut == S.TENUE:
            actions.add("soumettre")
        if self.statut == S.EN_VALIDATION and user.institution_id:
            actions.add("valider")
        return actions

    @property
    def verrou_seance(self) -> str:
        """Pourquoi plus rien ne peut être consigné dans la séance ; chaîne vide sinon.

        Pendant la validation du compte rendu, notes et décisions ne bougent plus : ce que
        les pilotes valident est ce qu'ils ont lu. Une demande de modifications rouvre la
        séance (statut « tenue »)."""
        if self.est_figee:
            return (
                "Le compte rendu de cette réunion est validé : la réunion ne peut plus être "
                "modifiée (la séance reste consultable)."
            )
        if self.statut == Reunion.Statut.ANNULEE:
            return "Cette réunion a été annulée : rien ne peut y être consigné."
        if self.statut == Reunion.Statut.EN_VALIDATION:
            return (
                "Le compte rendu est en cours de validation : notes et décisions ne changent "
                "plus. Pour les modifier, un pilote demande des modifications depuis le "
                "compte rendu."
            )
        return ""

    @property
    def est_figee(self) -> bool:
        return self.statut == self.Statut.FIGEE

    @property
    def est_passee(self) -> bool:
        return self.date < timezone.now()

    @property
    def lien_visio_utile(self) -> str:
        """Le lien de visioconférence tant que la réunion n'est pas finie ; ensuite, rien
        (un compte rendu ne propose pas de « rejoindre » une réunion passée)."""
        return self.lien_visio if self.fin > timezone.now() else ""

    @property
    def fin(self) -> datetime.datetime:
        try:
            return self.date + datetime.timedelta(minutes=self.duree_minutes)
        except OverflowError:  # date absurde déjà en base (an 9999) : la page reste lisible
            return self.date


class Participation(EmailTracking):
    """Un participant d'une réunion ; le sort du courriel de sa dernière invitation
    (`EmailTracking`) est inscrit par le travailleur des tâches."""

    class Statut(models.TextChoices):
        INVITE = "invite", "Invité"
        PRESENT = "present", "Présent"
        EXCUSE = "excuse", "Excusé"

    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="participations")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="participations",
    )
    nom = models.CharField(
        "nom et fonction", max_length=300, blank=True, help_text="Pour un invité sans compte."
    )
    email = models.EmailField("courriel", blank=True)
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.INVITE)
    invitation_envoyee_le = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "participant"
        ordering = ["reunion", "institution__nom", "nom", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["reunion", "user"],
                condition=Q(user__isnull=False),
                name="participation_unique_user",
            )
        ]

    def __str__(self):
        return self.libelle

    @property
    def libelle(self) -> str:
        if self.user_id:
            return str(self.user)
        return self.nom or self.email

    @property
    def adresse(self) -> str:
        return self.email or (self.user.email if self.user_id else "")


class PointOrdreDuJour(models.Model):
    """Une fiche à l'ordre du jour d'une réunion."""

    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="points")
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="points_reunion")
    ordre = models.PositiveSmallIntegerField(default=0)
    reporte = models.BooleanField(
        "inscrite pour ses décisions ouvertes",
        default=False,
        help_text="Fiche ajoutée parce qu'une décision d'une réunion précédente reste ouverte.",
    )
    duree_minutes = models.PositiveSmallIntegerField("temps prévu (minutes)", null=True, blank=True)

    class Meta:
        verbose_name = "fiche à l'ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["reunion", "ordre", "fiche__numero"]
        constraints = [
            models.UniqueConstraint(fields=["reunion", "fiche"], name="point_unique_fiche")
        ]

    def __str__(self):
        return f"{self.reunion} – fiche n°{self.fiche.numero_affiche}"

    def peut_consigner(self, user) -> bool:
        """Consigner une décision sur cette fiche : pilote du contrat, ou référent de cette
        fiche (les mêmes droits que pour modifier la fiche). Mis en cache sur le point : les
        décisions d'un point le partagent, la liste ne coûte qu'une requête."""
        cache = self.__dict__.setdefault("_consigner_cache", {})
        if user.pk not in cache:
            cache[user.pk] = user.is_authenticated and permissions.can_edit_fiche(user, self.fiche)
        return cache[user.pk]


class DecisionQuerySet(models.QuerySet):
    def ouvertes(self):
        return self.filter(statut=Decision.Statut.OUVERTE)

    def anterieures_a(self, reunion: "Reunion"):
        """Décisions prises lors des réunions précédentes du contrat (hors réunions
        annulées) : celles qu'une réunion reprend. La seule définition de « précédente »."""
        return (
            self.filter(
                point__reunion__contrat_id=reunion.contrat_id,
                point__reunion__date__lt=reunion.date,
            )
            .exclude(point__reunion=reunion)
            .exclude(point__reunion__statut=Reunion.Statut.ANNULEE)
        )

    def examinees_a(self, reunion: "Reunion"):
        """Décisions précédentes encore ouvertes au moment de la réunion : ouvertes
        aujourd'hui, ou closes pendant ou après elle (le compte rendu les a suivies)."""
        return self.anterieures_a(reunion).filter(
            Q(statut=Decision.Statut.OUVERTE) | Q(close_le__gte=reunion.date)
        )


class Decision(models.Model):
    """« Prise de décision en séance », typée et suivie jusqu'à sa clôture."""

    class Categorie(models.TextChoices):
        ACTEURS = "acteurs", "Acteurs"
        MOYENS = "moyens", "Moyens financiers"
        INDICATEURS = "indicateurs", "Indicateurs"
        CALENDRIER = "calendrier", "Calendrier"
        VIGILANCE = "vigilance", "Points de vigilance"
        ETAT = "etat", "État de l'action"
        AUTRE = "autre", "Autre"

    class Statut(models.TextChoices):
        OUVERTE = "ouverte", "Ouverte"
        CLOSE = "close", "Close"

    point = models.ForeignKey(PointOrdreDuJour, on_delete=models.CASCADE, related_name="decisions")
    categorie = models.CharField("type de décision", max_length=20, choices=Categorie.choices)
    texte = models.TextField("décision")
    porteur = models.CharField("qui la porte", max_length=300, blank=True)
    echeance = models.DateField("pour quand", null=True, blank=True)
    changement = models.JSONField(
        "changement à appliquer à la fiche",
        default=dict,
        blank=True,
        help_text="Selon le type : {'action': 'ajouter_acteur', ...} (voir services.APPLICATIONS).",
    )
    statut = models.CharField(max_length=10, choices=Statut.choices, default=Statut.OUVERTE)
    close_le = models.DateTimeField(null=True, blank=True)
    close_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    commentaire_cloture = models.CharField(max_length=1000, blank=True)
    revision = models.OneToOneField(
        Revision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision",
        help_text="Modification de la fiche produite par l'application de la décision.",
    )
    revision_recue = models.OneToOneField(
        Revision,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decision_recue",
        help_text="Modification de la fiche qui reçoit le montant d'un transfert.",
    )
    appliquee_le = models.DateTimeField(null=True, blank=True)
    appliquee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = "décision"
        ordering = ["point", "created_at", "pk"]

    def __str__(self):
        return f"{self.get_categorie_display()} : {self.texte[:80]}"

    @property
    def est_ouverte(self) -> bool:
        return self.statut == self.Statut.OUVERTE

    @property
    def est_appliquee(self) -> bool:
        return self.appliquee_le is not None

    @property
    def applicable(self) -> bool:
        return bool(self.changement.get("action")) and not self.est_appliquee

    def actions_possibles(self, user) -> set[str]:
        """Ce que `user` peut faire de cette décision dans son état actuel : « appliquer »
        (un changement prévu, pas encore appliqué à la fiche) et « clore » (ouverte), pour
        un pilote du contrat. La seule définition : services, vues et gabarits s'y réfèrent.
        Une décision d'une réunion figée s'applique et se clôt encore : elle est suivie
        jusqu'à sa clôture, de réunion en réunion."""
        if not self.point.reunion.peut_organiser(user):
            return set()
        actions = set()
        if self.applicable:
            actions.add("appliquer")
        if self.est_ouverte:
            actions.add("clore")
        return actions

    def peut_modifier(self, user) -> bool:
        """Modifier ou supprimer cette décision : un pilote du contrat, toute décision ; un
        référent de fiche, seulement celles qu'il a lui-même consignées sur ses fiches.
        La seule définition : services, vues et gabarits s'y réfèrent. Personne, quand la
        séance est verrouillée (compte rendu en validation ou validé, réunion annulée)."""
        if self.point.reunion.verrou_seance:
            return False
        if self.point.reunion.peut_organiser(user):
            return True
        return (
            self.auteur_id is not None
            and self.auteur_id == user.pk
            and self.point.peut_consigner(user)
        )


class ValidationCompteRendu(models.Model):
    """Avis d'un pilote, au nom de son institution, sur le compte rendu."""

    class Avis(models.TextChoices):
        VALIDE = "valide", "Validé"
        REMARQUES = "remarques", "Remarques à intégrer"

    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="validations")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    avis = models.CharField(max_length=10, choices=Avis.choices)
    commentaire = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "validation du compte rendu"
        ordering = ["reunion", "created_at", "pk"]

    def __str__(self):
        return f"{self.institution} : {self.get_avis_display()}"


# Les jetons des flux d'agenda et les notes de séance ont leur module.
from .jetons import JetonFlux  # noqa: E402, F401
from .notes import NoteSeance  # noqa: E402, F401
