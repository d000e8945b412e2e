"""Contrats (un département × une génération), signataires, habilitations et fiches actions.

La fiche action reprend les rubriques du modèle officiel (« Annexe 5 : Modèle
de fiche action ») : objectifs, numéro, titre, référent, constat du diagnostic,
objectif opérationnel, description, acteurs à mobiliser, moyens financiers
prévisionnels, calendrier prévisionnel, indicateurs, points de vigilance.
Les listes (acteurs, financements, jalons, indicateurs, points de vigilance)
sont des modèles liés, dans `listes.py`.
"""

import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q

from pilotage.referentiel.models import Generation, Objectif
from pilotage.territoires.models import Departement, Institution

from ..roles import Role
from .listes import Jalon, jalons_en_retard


class ContratQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Contrats qu'un utilisateur peut voir : habilitation, périmètre régional ou national."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.est_national:
            return self.all()
        condition = Q(habilitations__user=user)
        if user.est_regional:
            condition |= Q(departement__region_id=user.region_id)
        return self.filter(condition).distinct()


class Contrat(models.Model):
    class Statut(models.TextChoices):
        BROUILLON = "brouillon", "En préparation"
        SIGNE = "signe", "Signé"

    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="contrats")
    generation = models.ForeignKey(Generation, on_delete=models.PROTECT, related_name="contrats")
    statut = models.CharField(max_length=20, choices=Statut.choices, default=Statut.BROUILLON)
    date_signature = models.DateField("date de signature", null=True, blank=True)
    annee_premiere_contractualisation = models.PositiveSmallIntegerField(
        "année de première contractualisation", null=True, blank=True
    )
    donnees_fictives = models.BooleanField(
        "données fictives",
        default=False,
        editable=False,
        help_text="Contrat inventé (jeu national de démonstration et de mesure de charge) : "
        "ses pages le signalent.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContratQuerySet.as_manager()

    class Meta:
        ordering = ["departement__code", "-generation__annee_debut"]
        constraints = [
            models.UniqueConstraint(fields=["departement", "generation"], name="contrat_unique")
        ]

    def __str__(self):
        return f"Contrat {self.generation.code} – {self.departement.nom}"

    @property
    def version_signee(self) -> dict | None:
        """La copie figée du contrat signé (`VersionSignee`), `None` avant la signature :
        lue à la demande (une requête, gardée sur l'objet)."""
        try:
            return self.copie_signee.contenu
        except VersionSignee.DoesNotExist:
            return None


class VersionSignee(models.Model):
    """La copie figée du contrat au moment de la signature (référence des avenants),
    écrite par `contrat_sign`, lue par `Contrat.version_signee`.

    Plus de 100 Ko par contrat : dans sa propre table, aucune lecture qui passe par le
    contrat (listes, jointures, vues régionale et nationale) ne la charge ni ne la
    traverse."""

    contrat = models.OneToOneField(
        Contrat, on_delete=models.CASCADE, primary_key=True, related_name="copie_signee"
    )
    contenu = models.JSONField(
        "version signée",
        editable=False,
        help_text="Copie figée du contrat au moment de la signature (référence des avenants).",
    )

    class Meta:
        verbose_name = "version signée"
        verbose_name_plural = "versions signées"

    def __str__(self):
        return f"Version signée du contrat {self.contrat_id}"


def _vu_de(chemin: str, ordre: list[str]) -> list[str]:
    """`ordre` (noms de champs, « -champ » décroissant) vu d'un modèle qui y mène par
    `chemin` (« contrat », « point__reunion ») ; `chemin` vide : `ordre` tel quel."""
    if not chemin:
        return list(ordre)
    return [f"-{chemin}__{f[1:]}" if f.startswith("-") else f"{chemin}__{f}" for f in ordre]


def ordre_des_contrats(chemin: str) -> list[str]:
    """L'ordre des contrats (`Contrat.Meta.ordering` : département, génération la plus
    récente) vu d'un modèle qui y mène par `chemin` (« contrat », « fiche__contrat »).

    Les modèles liés à un contrat ou à une fiche s'ordonnent par la clé de leur parent
    (`contrat_id`, `fiche_id`, `indicateur_id`), sans jointure : une lecture qui les mêle
    à travers plusieurs contrats et montre leur ordre le demande ici, explicitement."""
    return _vu_de(chemin, Contrat._meta.ordering)


class Signataire(models.Model):
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="signataires")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    fonction = models.CharField(max_length=200, help_text="Par exemple : Préfet de la Creuse.")
    nom = models.CharField(max_length=200, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["contrat_id", "ordre", "pk"]

    def __str__(self):
        return self.fonction


class Habilitation(models.Model):
    """Rôle d'un utilisateur sur un contrat."""

    Role = Role

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habilitations"
    )
    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="habilitations")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["contrat_id", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "contrat", "role"], name="habilitation_unique")
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.contrat}"


class Etat(models.TextChoices):
    NON_DEMARREE = "non_demarree", "Non démarrée"
    EN_COURS = "en_cours", "En cours"
    REALISEE = "realisee", "Réalisée"
    ABANDONNEE = "abandonnee", "Abandonnée"


class FicheActionQuerySet(models.QuerySet):
    def with_retard(self, date: datetime.date | None = None):
        late = Jalon.objects.filter(jalons_en_retard(date), fiche=OuterRef("pk"))
        return self.annotate(_en_retard=Exists(late))

    def en_retard(self, date: datetime.date | None = None):
        return (
            self.with_retard(date)
            .filter(_en_retard=True)
            .exclude(etat__in=[Etat.REALISEE, Etat.ABANDONNEE])
        )

    def visibles_par(self, user):
        return self.filter(contrat__in=Contrat.objects.visibles_par(user))

    def referents_distincts(self, noms: list[str] | None = None) -> list[str]:
        """Les référents nommés dans ces fiches, une fois chacun quelle que soit la casse
        (« Mme Martin » et « MME MARTIN » : un seul choix), dans l'ordre alphabétique.

        `noms` : le référent de chacune de ces fiches, déjà lu (une page qui les liste
        toutes), pour ne pas le redemander."""
        if noms is None:
            noms = self.exclude(referent="").values_list("referent", flat=True)
        names: dict[str, str] = {}
        for name in noms:
            if name:
                names.setdefault(name.strip().casefold(), name.strip())
        return sorted(names.values(), key=str.casefold)

    def du_referent(self, name: str):
        """Les fiches de ce référent, quelle que soit la casse (filtre de la page du contrat)."""
        return self.filter(referent__iexact=name.strip())

    def completes(self):
        """Avec tout ce que la fiche montre : bénéficiaire des crédits, objectifs, référents
        et listes liées (acteurs, financements, jalons, indicateurs, points de vigilance)."""
        from .listes import Indicateur  # même paquet ; `listes` ne connaît pas la fiche

        # Mesure de l'objectif et indicateur national joints : une requête chacun de moins.
        return self.select_related("fiche_beneficiaire").prefetch_related(
            models.Prefetch("objectifs", queryset=Objectif.objects.select_related("mesure")),
            "referents",
            "acteurs",
            "financements",
            "jalons",
            models.Prefetch(
                "indicateurs", queryset=Indicateur.objects.select_related("indicateur_national")
            ),
            "points_vigilance",
        )


class FicheAction(models.Model):
    Etat = Etat

    contrat = models.ForeignKey(Contrat, on_delete=models.CASCADE, related_name="fiches")
    numero = models.PositiveSmallIntegerField("numéro")
    numero_texte = models.CharField(
        "numéro tel qu'écrit",
        max_length=10,
        blank=True,
        help_text="Seulement s'il n'est pas un simple nombre, par ex. « 13-1 » (le numéro, 13, "
        "sert au tri et aux adresses).",
    )
    titre = models.CharField("titre de la fiche", max_length=500)
    objectifs = models.ManyToManyField(Objectif, related_name="fiches", verbose_name="objectifs")
    entete_objectifs = models.CharField(
        "en-tête des objectifs",
        max_length=300,
        blank=True,
        help_text="Tel qu'écrit dans la fiche signée, par ex. « OBJECTIFS N°1 et 2 (obligatoires) ».",
    )
    departement_libelle = models.CharField("département concerné", max_length=200, blank=True)
    referent = models.CharField("référent (personne ou institution)", max_length=300, blank=True)
    referents = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="fiches_referent",
        verbose_name="référents dans l'application",
        help_text="Personnes qui tiennent la fiche à jour.",
    )
    constat = models.TextField("constat du diagnostic", blank=True)
    objectif_operationnel = models.TextField("objectif opérationnel", blank=True)
    description = models.TextField("description de l'action", blank=True)
    calendrier_texte = models.TextField("calendrier prévisionnel (texte signé)", blank=True)
    moyens_texte = models.TextField("moyens financiers prévisionnels (texte signé)", blank=True)
    date_mise_en_place = models.CharField(
        "date de mise en place de l'action",
        max_length=300,
        blank=True,
        help_text="Telle que l'écrit le rapport d'exécution, par ex. « 2ème semestre 2021 ».",
    )
    duree = models.CharField(
        "durée de l'action", max_length=200, blank=True, help_text="Par exemple : 2021-2024."
    )
    etat = models.CharField(
        "état de mise en œuvre", max_length=20, choices=Etat.choices, default=Etat.NON_DEMARREE
    )
    motif_abandon = models.TextField("motif de l'abandon", blank=True)
    fiche_beneficiaire = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="fiche qui reçoit les crédits",
        help_text="En cas d'abandon, la fiche vers laquelle les crédits sont redéployés.",
    )
    a_impact = models.BooleanField(
        "action à impact",
        default=False,
        help_text="Les actions à impact sont examinées en priorité en réunion de suivi.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FicheActionQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches actions"
        ordering = ["contrat_id", "numero"]  # à travers les contrats : ordre_affiche
        constraints = [
            models.UniqueConstraint(fields=["contrat", "numero"], name="fiche_numero_unique"),
        ]

    def __str__(self):
        return f"Fiche action n°{self.numero_affiche} – {self.titre}"

    @property
    def numero_affiche(self) -> str:
        """Le numéro tel que le contrat l'écrit (« 13-1 »), sinon le numéro."""
        return self.numero_texte or str(self.numero)

    def clean(self):
        if self.etat == Etat.ABANDONNEE and not self.motif_abandon.strip():
            raise ValidationError({"motif_abandon": "Indiquez le motif de l'abandon de l'action."})
        if self.fiche_beneficiaire_id and self.fiche_beneficiaire_id == self.pk:
            raise ValidationError(
                {
                    "fiche_beneficiaire": "Les crédits ne peuvent pas être redéployés sur la même fiche."
                }
            )
        if self.fiche_beneficiaire_id and self.fiche_beneficiaire.contrat_id != self.contrat_id:
            raise ValidationError(
                {
                    "fiche_beneficiaire": "Les crédits ne peuvent être redéployés que sur une fiche du même contrat."
                }
            )

    @property
    def en_retard(self) -> bool:
        if self.etat in (Etat.REALISEE, Etat.ABANDONNEE):
            return False
        if hasattr(self, "_en_retard"):
            return self._en_retard
        jalons = getattr(self, "_prefetched_objects_cache", {}).get("jalons")
        if jalons is not None:  # lues avec la fiche (`completes`) : sans requête ni sous-requête
            return any(jalon.en_retard for jalon in jalons)
        return self.jalons.filter(jalons_en_retard()).exists()


def ordre_des_fiches(chemin: str = "fiche") -> list[str]:
    """L'ordre des fiches (celui de leur contrat, puis le numéro) vu d'un modèle qui y mène
    par `chemin` (« fiche », « indicateur__fiche ») : voir `ordre_affiche`."""
    return ordre_affiche(FicheAction, chemin)


def ordre_affiche(model: type[models.Model], chemin: str = "") -> list[str]:
    """L'ordre dans lequel les pages montrent `model` à travers plusieurs contrats : son
    `Meta.ordering`, dont chaque clé de parent (`contrat_id`, `fiche_id`, « point ») cède
    la place à l'ordre affiché du parent (département et génération pour un contrat) ; vu
    d'un modèle qui y mène par `chemin` (vide : `model` lui-même).

    Les `Meta.ordering` s'arrêtent à la clé du parent (sans jointure, même ordre à
    l'intérieur d'un contrat) : une lecture qui mêle plusieurs contrats et montre leur
    ordre (recherche, administration) le demande ici, explicitement."""
    ordre = []
    for name in model._meta.ordering:
        try:
            field = model._meta.get_field(name.removeprefix("-"))
        except FieldDoesNotExist:  # un chemin (« departement__code ») : tel quel
            field = None
        parent = field.related_model if field is not None and field.many_to_one else None
        if parent is None or not parent._meta.ordering:
            ordre.append(name)
        elif name.startswith("-"):
            raise ValueError(f"{model.__name__} : ordre décroissant d'un parent ({name})")
        else:
            ordre += ordre_affiche(parent, field.name)
    return _vu_de(chemin, ordre)
