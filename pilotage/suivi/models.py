"""Suivi au fil de l'eau : valeurs datées des indicateurs quantitatifs.

Une valeur n'est jamais écrasée : une correction est une nouvelle saisie, et deux
saisies différentes pour la même période sont signalées (`checks.inconsistencies`).
Un taux se saisit par son numérateur et son dénominateur ; il est calculé.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from pilotage.contrats.models import Habilitation, Indicateur, ordre_des_fiches
from pilotage.contrats.permissions import roles_on
from pilotage.core.dates import plausible_date, plausible_year
from pilotage.core.files import PrivateUploadTo
from pilotage.core.models import author_field
from pilotage.referentiel.unites import number_text

#: L'ordre des valeurs dans une fiche : ses indicateurs (nature, rang), puis les périodes
#: et les corrections successives d'une période.
ORDRE_DANS_LA_FICHE = (
    "indicateur__nature",
    "indicateur__ordre",
    "indicateur_id",
    "annee",
    "semestre",
    "created_at",
    "pk",
)


class ValeurIndicateurQuerySet(models.QuerySet):
    def of_contrat(self, contrat):
        return self.filter(indicateur__fiche__contrat=contrat)

    def dans_l_ordre_des_fiches(self):
        """À travers plusieurs fiches ou contrats : dans l'ordre des fiches, puis des
        indicateurs de la fiche, puis des périodes (les Meta, elles, s'arrêtent à
        l'indicateur, sans jointure jusqu'au contrat)."""
        return self.order_by(*ordre_des_fiches("indicateur__fiche"), *ORDRE_DANS_LA_FICHE)

    def dans_l_ordre_de_la_fiche(self):
        """Les valeurs d'une même fiche : indicateurs de la fiche, puis périodes."""
        return self.order_by(*ORDRE_DANS_LA_FICHE)


def rate_of(numerateur: Decimal | None, denominateur: Decimal | None) -> Decimal | None:
    """Taux calculé en %, arrondi au dixième (None sans numérateur et dénominateur)."""
    if numerateur is None or not denominateur:
        return None
    return (numerateur * 100 / denominateur).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def principal_value(
    valeur: Decimal | None,
    numerateur: Decimal | None,
    denominateur: Decimal | None,
    *,
    rate_unit: bool,
) -> Decimal | None:
    """Ce qui est tracé et comparé à la cible, dans l'unité de l'indicateur : pour un
    taux, le taux calculé (ou la valeur saisie, lue en %) ; pour une autre unité, la
    valeur, ou le numérateur d'une saisie « 787 sur 844 » (787 enfants vus, pas 93 %).
    Une fonction et non seulement une propriété : les lectures en masse (comparaison
    nationale) l'appliquent à des tuples sans construire d'objets."""
    if numerateur is None or not denominateur:
        return valeur
    return rate_of(numerateur, denominateur) if rate_unit else numerateur


class ValeurIndicateur(models.Model):
    class Semestre(models.IntegerChoices):
        S1 = 1, "1er semestre"
        S2 = 2, "2d semestre"

    indicateur = models.ForeignKey(Indicateur, on_delete=models.CASCADE, related_name="valeurs")
    annee = models.PositiveSmallIntegerField("année")
    semestre = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        choices=Semestre.choices,
        help_text="Laisser vide pour l'année entière.",
    )
    valeur = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    numerateur = models.DecimalField(
        "numérateur", max_digits=14, decimal_places=2, null=True, blank=True
    )
    denominateur = models.DecimalField(
        "dénominateur", max_digits=14, decimal_places=2, null=True, blank=True
    )
    taux_indique = models.DecimalField(
        "taux indiqué par la source (%)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Le taux tel qu'écrit dans le document source, pour le comparer au calcul.",
    )
    source = models.CharField(
        max_length=200,
        blank=True,
        help_text="Par exemple : PMI23D_GES1, DREES, Éducation nationale, comptage interne.",
    )
    commentaire = models.TextField(blank=True)
    user = author_field("saisie par")
    created_at = models.DateTimeField("saisie le", auto_now_add=True)

    objects = ValeurIndicateurQuerySet.as_manager()

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        ordering = ["indicateur_id", "annee", "semestre", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valeur__isnull=False) | Q(numerateur__isnull=False, denominateur__gt=0),
                name="valeur_ou_taux",
            ),
        ]

    def __str__(self):
        return f"{self.periode_libelle} : {self.affichage}"

    def clean(self):
        """Année dans la période plausible du contrat de l'indicateur (`core.dates`)."""
        if self.indicateur_id is not None:
            try:
                plausible_year(self.annee, generation=self.indicateur.fiche.contrat.generation)
            except ValidationError as exc:
                raise ValidationError({"annee": exc}) from exc

    @property
    def periode_cle(self) -> tuple[int, int]:
        return (self.annee, self.semestre or 0)

    @property
    def periode_libelle(self) -> str:
        return f"{self.annee} S{self.semestre}" if self.semestre else str(self.annee)

    @property
    def est_taux(self) -> bool:
        return self.numerateur is not None and bool(self.denominateur)

    @property
    def taux(self) -> Decimal | None:
        """Taux calculé en %, arrondi au dixième."""
        return rate_of(self.numerateur, self.denominateur)

    @property
    def valeur_principale(self) -> Decimal | None:
        """Ce qui est tracé et comparé à la cible, dans l'unité de l'indicateur
        (`principal_value`)."""
        return principal_value(
            self.valeur, self.numerateur, self.denominateur, rate_unit=self.indicateur.est_taux
        )

    @property
    def affichage(self) -> str:
        num = number_text
        indicateur = self.indicateur
        if self.est_taux and indicateur.est_taux:
            return f"{num(self.numerateur)} / {num(self.denominateur)} = {num(self.taux)} %"
        if self.est_taux:
            return (
                f"{indicateur.formater(self.numerateur)} "
                f"(sur {num(self.denominateur)}, soit {num(self.taux)} %)"
            )
        return indicateur.formater(self.valeur)


def latest_per_period(valeurs) -> list[ValeurIndicateur]:
    """La dernière saisie de chaque période (une correction est une nouvelle saisie),
    dans l'ordre des périodes."""
    latest: dict[tuple[int, int], ValeurIndicateur] = {}
    for v in sorted(valeurs, key=lambda v: (v.periode_cle, v.created_at, v.pk or 0)):
        latest[v.periode_cle] = v
    return [latest[k] for k in sorted(latest)]


class ReleveQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Partagés : visibles de tout le contrat ; sinon, seulement de l'institution de l'auteur."""
        shared = Q(statut=Releve.Statut.PARTAGE)
        if user.institution_id:
            return self.filter(shared | Q(institution_id=user.institution_id))
        return self.filter(shared | Q(auteur=user))


@dataclass(frozen=True)
class Transition:
    """Une étape du circuit de validation d'un relevé (qui la franchit : `suivi.services`)."""

    depuis: tuple[str, ...]
    vers: str
    bouton: str
    refus: str  # message quand le relevé n'est pas dans un statut de départ
    secondaire: bool = False


class Releve(models.Model):
    """Fiche de relevé (modèle du Club des territoires) : une observation qualitative datée.

    Circuit : brouillon → relu (binôme) → validé (validateur) → partagé ; un relevé relu ou
    validé peut être renvoyé à son auteur. `TRANSITIONS` est la seule description du
    circuit : les services la vérifient, la page en tire ses boutons."""

    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "Brouillon"
        RELU = "relu", "Relu"
        VALIDE = "valide", "Validé"
        PARTAGE = "partage", "Partagé"

    fiche = models.ForeignKey(
        "contrats.FicheAction", on_delete=models.CASCADE, related_name="releves"
    )
    indicateur = models.ForeignKey(
        Indicateur,
        on_delete=models.PROTECT,
        related_name="releves",
        verbose_name="indicateur de suivi qualitatif",
    )
    date_observation = models.DateField("date de l'observation")
    situation = models.CharField(
        "situation observée", max_length=300, help_text="Par exemple : école maternelle, entretien."
    )
    questions = models.TextField("pratiques / questions clés")
    faits = models.TextField(
        "faits concrets / restitutions",
        help_text="Situations, résultats, difficultés ; citations anonymisées uniquement.",
    )
    ameliorations = models.TextField("éléments d'amélioration", blank=True)
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="releves"
    )
    institution = models.ForeignKey(
        "territoires.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Institution de l'auteur : seule à voir le relevé avant son partage.",
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)

    objects = ReleveQuerySet.as_manager()

    class Meta:
        verbose_name = "relevé"
        ordering = ["-date_observation", "-pk"]

    def __str__(self):
        return f"Relevé du {self.date_observation:%d/%m/%Y} – {self.situation}"

    def clean(self):
        """Date de l'observation dans la période plausible du contrat (`core.dates`)."""
        if self.fiche_id is not None:
            try:
                plausible_date(self.date_observation, generation=self.fiche.contrat.generation)
            except ValidationError as exc:
                raise ValidationError({"date_observation": exc}) from exc

    @property
    def accepte_traces(self) -> bool:
        """Les traces se joignent tant que le relevé est un brouillon : ce qui a été relu est
        ce qui est validé (pour en ajouter ensuite, le relevé est renvoyé à son auteur)."""
        return self.statut == self.Statut.BROUILLON

    @property
    def relecteur_id(self) -> int | None:
        """Qui a fait la relecture en cours : la dernière étape « relu » tracée."""
        return (
            self.etapes.filter(action=ReleveEtape.Action.RELECTURE)
            .order_by("-pk")
            .values_list("user_id", flat=True)
            .first()
        )

    @property
    def etapes_du_statut(self) -> list[tuple[str, Transition]]:
        """Les étapes que le statut actuel permet, dans l'ordre des boutons de la page."""
        return [(code, t) for code, t in RELEVE_TRANSITIONS.items() if self.statut in t.depuis]

    def refus(self, user, action: str) -> str:
        """Pourquoi `user` ne peut pas franchir l'étape `action` ('' s'il le peut) : le
        statut d'abord, puis la personne (`RELEVE_PERSONNES`). Seule définition du droit :
        les services la font respecter, la page n'offre que les boutons permis."""
        transition = RELEVE_TRANSITIONS[action]
        if self.statut not in transition.depuis:
            return transition.refus
        return RELEVE_PERSONNES[action](self, user)

    def actions_possibles(self, user) -> list[tuple[str, Transition]]:
        """Les étapes que `user` peut franchir maintenant, dans l'ordre des boutons."""
        return [(code, t) for code, t in self.etapes_du_statut if not self.refus(user, code)]


_S = Releve.Statut
#: Le circuit de validation d'un relevé, action par action (ordre des boutons).
RELEVE_TRANSITIONS: dict[str, Transition] = {
    "relire": Transition(
        (_S.BROUILLON,), _S.RELU, "Marquer comme relu", "Seul un brouillon peut être relu."
    ),
    "valider": Transition(
        (_S.RELU,), _S.VALIDE, "Valider", "Le relevé doit d'abord être relu par un binôme."
    ),
    "partager": Transition(
        (_S.VALIDE,),
        _S.PARTAGE,
        "Partager avec les institutions du contrat",
        "Seul un relevé validé peut être partagé.",
    ),
    "renvoyer": Transition(
        (_S.RELU, _S.VALIDE),
        _S.BROUILLON,
        "Renvoyer à l'auteur",
        "Seul un relevé relu ou validé peut être renvoyé.",
        secondaire=True,
    ),
}


def _roles(user, releve: Releve) -> set[str]:
    return roles_on(user, releve.fiche.contrat)


def _validateur(user, releve: Releve) -> bool:
    return user.is_superuser or Habilitation.Role.VALIDATEUR in _roles(user, releve)


def _refus_relire(releve: Releve, user) -> str:
    if user.pk == releve.auteur_id:
        return "La relecture est faite par une autre personne que l'auteur."
    actifs = _roles(user, releve) - {Habilitation.Role.LECTEUR}
    if not actifs or user.institution_id != releve.institution_id:
        return "La relecture est faite par un collègue de l'auteur habilité sur le contrat."
    return ""


def _refus_valider(releve: Releve, user) -> str:
    if not _validateur(user, releve):
        return "Seul un validateur du contrat peut valider un relevé."
    if user.pk == releve.auteur_id:
        return "On ne valide pas son propre relevé."
    if user.pk == releve.relecteur_id:
        return (
            "La personne qui a relu le relevé ne peut pas aussi le valider : un autre "
            "validateur du contrat s'en charge."
        )
    return ""


def _refus_partager(releve: Releve, user) -> str:
    if _validateur(user, releve) or Habilitation.Role.PILOTE in _roles(user, releve):
        return ""
    return "Seul un validateur ou un pilote peut partager un relevé."


def _refus_renvoyer(releve: Releve, user) -> str:
    if _validateur(user, releve):
        return ""
    return "Seul un validateur du contrat peut renvoyer un relevé."


#: Qui franchit chaque étape, le statut permis : la raison d'un refus, vide sinon.
RELEVE_PERSONNES = {
    "relire": _refus_relire,
    "valider": _refus_valider,
    "partager": _refus_partager,
    "renvoyer": _refus_renvoyer,
}


class ReleveEtape(models.Model):
    """Trace datée et attribuée de chaque étape de validation d'un relevé."""

    class Action(models.TextChoices):
        CREATION = "creation", "Rédigé"
        RELECTURE = "relecture", "Relu (binôme)"
        VALIDATION = "validation", "Validé"
        RENVOI = "renvoi", "Renvoyé à l'auteur"
        PARTAGE = "partage", "Partagé avec les institutions du contrat"

    releve = models.ForeignKey(Releve, on_delete=models.CASCADE, related_name="etapes")
    action = models.CharField(max_length=20, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    commentaire = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "étape de validation"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"{self.get_action_display()} le {self.created_at:%d/%m/%Y}"


class PlanCollecte(models.Model):
    """Qui collecte un indicateur, comment, à quel rythme, et pour quand."""

    class Methode(models.TextChoices):
        OBSERVATION = "observation", "Observation de terrain"
        ENTRETIEN = "entretien", "Entretien"
        QUESTIONNAIRE = "questionnaire", "Questionnaire"
        GROUPE_PAROLE = "groupe_parole", "Groupe de parole"
        EXTRACTION = "extraction", "Extraction de données"

    class Frequence(models.TextChoices):
        TRIMESTRIELLE = "trimestrielle", "Trimestrielle"
        SEMESTRIELLE = "semestrielle", "Semestrielle"
        ANNUELLE = "annuelle", "Annuelle"

    MOIS = {"trimestrielle": 3, "semestrielle": 6, "annuelle": 12}

    indicateur = models.OneToOneField(
        Indicateur, on_delete=models.CASCADE, related_name="plan_collecte"
    )
    referent_collecte = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="collectes",
        verbose_name="référent de la collecte",
    )
    methode = models.CharField("méthode", max_length=20, choices=Methode.choices)
    frequence = models.CharField("fréquence", max_length=20, choices=Frequence.choices)
    prochaine_echeance = models.DateField("prochaine échéance")

    class Meta:
        verbose_name = "plan de collecte"
        verbose_name_plural = "plans de collecte"
        ordering = ["prochaine_echeance"]

    def __str__(self):
        return f"Collecte de « {self.indicateur} »"


class Rappel(models.Model):
    """Rappel envoyé : un par personne et par jour au plus."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    jour = models.DateField()
    nb_taches = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "jour"], name="un_rappel_par_jour")]

    def __str__(self):
        return f"Rappel du {self.jour:%d/%m/%Y}"


class Trace(models.Model):
    """Pièce justificative d'un relevé (compte rendu d'entretien, questionnaire…),
    conservée « au cas où un contrôle ou une analyse plus poussée seraient demandés »."""

    releve = models.ForeignKey(Releve, on_delete=models.CASCADE, related_name="traces")
    fichier = models.FileField(upload_to=PrivateUploadTo("traces"))
    nom = models.CharField("nom du fichier", max_length=255)
    taille = models.PositiveIntegerField("taille (octets)")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("ajoutée le", auto_now_add=True)

    class Meta:
        verbose_name = "trace"
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.nom
