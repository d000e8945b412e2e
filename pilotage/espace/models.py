"""Espace partagé : un espace national, un par région, un par département, où l'on
trouve des ressources rangées sous quelques rubriques stables, de courtes actualités et
les propositions d'amélioration du processus de suivi.

Qui lit un espace : `EspaceQuerySet.visibles_par`, seule source de la visibilité (un
espace invisible répond 404 ; sa condition, `EspaceQuerySet.lecture`, se pose aussi sur
l'espace d'une ressource). Qui y publie : `Espace.peut_publier` (un rôle déduit des
habilitations et des périmètres, plus les éditeurs nommés par le niveau national). Les
statuts d'une proposition et leurs transitions sont ici (`PROPOSITION_TRANSITIONS`).

Chaque objet publié donne son texte par `texte_recherche()` : ce que les services
d'écriture transmettront à l'index de la recherche (issue 16, point 4).
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from pilotage.contrats.models import Habilitation
from pilotage.core.files import PrivateUploadTo
from pilotage.referentiel.models import Objectif
from pilotage.territoires.models import Departement, Institution, Region

# Les abonnements vivent dans leur module ; importés ici pour que Django les charge.
from .abonnements import Abonnement  # noqa: F401


class Niveau(models.TextChoices):
    NATIONAL = "national", "National"
    REGIONAL = "regional", "Régional"
    DEPARTEMENTAL = "departemental", "Départemental"


def _departements_de(user):
    """Départements où `user` a une habilitation sur un contrat (sous-requête)."""
    return Habilitation.objects.filter(user=user).values("contrat__departement_id")


def _regions_de(user):
    """Régions des départements où `user` a une habilitation (sous-requête)."""
    return Habilitation.objects.filter(user=user).values("contrat__departement__region_id")


class EspaceQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Espaces que `user` peut lire. Le national pour toute personne connectée ; un
        espace régional pour les personnes de la région (institution, habilitation sur un
        contrat d'un de ses départements, niveau régional de la région) ; un espace
        départemental pour celles du département (habilitation sur un de ses contrats,
        institution) et le niveau régional de sa région ; tout pour le niveau national.
        Les éditeurs nommés d'un espace le lisent aussi. En une requête, sans jointure
        multipliante (sous-requêtes) : pas de doublon. La règle est écrite une fois, dans
        `lecture`, qui la pose aussi sur l'espace d'une ressource."""
        condition = self.lecture(user)
        return self.none() if condition is None else self.filter(condition)

    @staticmethod
    def lecture(user, vers: str = "") -> Q | None:
        """La condition de `visibles_par`, posée sur l'espace atteint par `vers` (vide :
        l'espace lui-même ; « espace__ » : celui d'une ressource, par la jointure que ses
        listes font déjà, plutôt qu'une sous-requête d'espaces qui double le temps de
        planification sous PostgreSQL). None : aucun espace ; Q() : tous."""
        if not user.is_authenticated or not user.is_active:
            return None
        if user.est_national:
            return Q()
        editeurs = Espace.editeurs.through.objects.filter(user=user).values("espace_id")
        condition = (
            Q(**{f"{vers}niveau": Niveau.NATIONAL})
            | Q(**{f"{vers}pk__in": editeurs})
            | Q(**{f"{vers}region_id__in": _regions_de(user)})
            | Q(**{f"{vers}departement_id__in": _departements_de(user)})
        )
        if user.institution_id:
            # Sans charger l'institution : ses département et région en sous-requêtes.
            institution = Institution.objects.filter(pk=user.institution_id)
            condition |= Q(**{f"{vers}departement_id__in": institution.values("departement_id")})
            condition |= Q(**{f"{vers}region_id__in": institution.values("region_id")})
            # La région de son département par jointure, non par une sous-requête de plus.
            condition |= Q(**{f"{vers}region_id__in": institution.values("departement__region_id")})
        if user.est_regional:
            condition |= Q(**{f"{vers}region_id": user.region_id}) | Q(
                **{f"{vers}departement__region_id": user.region_id}
            )
        return condition


class Espace(models.Model):
    Niveau = Niveau

    cle = models.SlugField("clé", max_length=30, unique=True, editable=False)
    niveau = models.CharField(max_length=20, choices=Niveau.choices)
    region = models.OneToOneField(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="espace"
    )
    departement = models.OneToOneField(
        Departement, null=True, blank=True, on_delete=models.PROTECT, related_name="espace"
    )
    editeurs = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="espaces_edites",
        verbose_name="éditeurs",
        help_text="Personnes qui publient dans cet espace en plus de celles que leur rôle "
        "y autorise (pilotes du département, niveau régional, niveau national).",
    )
    ressource_du_trimestre = models.ForeignKey(
        "Ressource",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="ressource du trimestre",
    )

    objects = EspaceQuerySet.as_manager()

    class Meta:
        verbose_name = "espace partagé"
        verbose_name_plural = "espaces partagés"
        ordering = ["niveau", "cle"]
        constraints = [
            models.CheckConstraint(
                name="espace_territoire_du_niveau",
                condition=(
                    Q(niveau=Niveau.NATIONAL, region__isnull=True, departement__isnull=True)
                    | Q(niveau=Niveau.REGIONAL, region__isnull=False, departement__isnull=True)
                    | Q(niveau=Niveau.DEPARTEMENTAL, region__isnull=True, departement__isnull=False)
                ),
            ),
        ]

    def __str__(self):
        return self.nom

    @staticmethod
    def cle_de(*, region: Region | None = None, departement: Departement | None = None) -> str:
        if departement is not None:
            return f"departement-{departement.code.lower()}"
        if region is not None:
            return f"region-{region.code}"
        return "national"

    @property
    def nom(self) -> str:
        if self.niveau == Niveau.DEPARTEMENTAL:
            return f"Espace départemental – {self.departement.nom}"
        if self.niveau == Niveau.REGIONAL:
            return f"Espace régional – {self.region.nom}"
        return "Espace national"

    def peut_publier(self, user) -> bool:
        """Le rôle de publication : niveau national partout ; niveau régional dans
        l'espace de sa région ; pilote d'un contrat du département dans l'espace
        départemental ; et les éditeurs nommés de l'espace."""
        if not user.is_authenticated or not user.is_active:
            return False
        if user.est_national:
            return True
        if (
            self.niveau == Niveau.REGIONAL
            and user.est_regional
            and user.region_id == self.region_id
        ):
            return True
        if (
            self.niveau == Niveau.DEPARTEMENTAL
            and Habilitation.objects.filter(
                user=user,
                contrat__departement_id=self.departement_id,
                role=Habilitation.Role.PILOTE,
            ).exists()
        ):
            return True
        return self.editeurs.filter(pk=user.pk).exists()

    @staticmethod
    def peut_configurer(user) -> bool:
        """Éditeurs d'un espace et rubriques : le niveau national."""
        return user.is_authenticated and user.is_active and user.est_national


class Rubrique(models.Model):
    """Rubrique stable sous laquelle une ressource est rangée (Méthodes, Modèles…)."""

    nom = models.CharField(max_length=80, unique=True)
    description = models.CharField(max_length=300, blank=True)
    ordre = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "rubrique"
        ordering = ["ordre", "nom"]

    def __str__(self):
        return self.nom


#: Les rubriques de départ, proposées par le groupe de travail (`seeds/001_…`).
RUBRIQUES_INITIALES = (
    ("Méthodes", "Méthodes de travail et modes opératoires."),
    ("Modèles", "Modèles de documents à réutiliser."),
    ("Retours d'expérience", "Ce qu'un territoire a essayé, ce qui a marché ou non."),
    ("Outils pratiques", "Exemples d'animation de réunion, aide-mémoire, tableaux."),
)


class RessourceQuerySet(models.QuerySet):
    def visibles_par(self, user):
        """Ressources des espaces que `user` lit (`EspaceQuerySet.visibles_par`), la règle
        posée sur l'espace joint à la ressource."""
        condition = EspaceQuerySet.lecture(user, "espace__")
        return self.none() if condition is None else self.filter(condition)

    def pour_liste(self):
        """Ce que montre une liste de ressources (`ressource_carte.html` : rubrique, auteur,
        institution, espace, dernier fichier), en un nombre fixe de requêtes ; sans les
        objectifs, que seule la page d'une ressource montre."""
        return self.select_related("rubrique", "auteur", "institution", "espace").prefetch_related(
            models.Prefetch("fichiers", queryset=FichierRessource.objects.order_by("-pk")),
        )

    def avec_taille_courante(self):
        """Avec la taille du dernier fichier déposé (`Ressource.taille_courante`), lue
        dans la même requête : pour une liste qui ne montre que celle-là, sans précharger
        les fichiers."""
        dernier = FichierRessource.objects.filter(ressource=models.OuterRef("pk")).order_by("-pk")
        return self.annotate(_taille_courante=models.Subquery(dernier.values("taille")[:1]))


class Ressource(models.Model):
    espace = models.ForeignKey(Espace, on_delete=models.CASCADE, related_name="ressources")
    rubrique = models.ForeignKey(Rubrique, on_delete=models.PROTECT, related_name="ressources")
    titre = models.CharField(max_length=200)
    resume = models.TextField("résumé")
    date = models.DateField(default=datetime.date.today)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lien = models.URLField("lien", max_length=500, blank=True)
    objectifs = models.ManyToManyField(
        Objectif, blank=True, related_name="ressources", verbose_name="objectifs du référentiel"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RessourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return self.titre

    @property
    def version_courante(self):
        """Le dernier fichier déposé (les fichiers sont préchargés du plus récent au plus
        ancien par `pour_liste`)."""
        fichiers = list(self.fichiers.all())
        return max(fichiers, key=lambda f: f.pk) if fichiers else None

    @property
    def taille_courante(self) -> int | None:
        """La taille du dernier fichier déposé, None sans fichier (lien) : lue avec la
        ressource (`avec_taille_courante`), sinon tirée des fichiers préchargés."""
        if hasattr(self, "_taille_courante"):
            return self._taille_courante
        version = self.version_courante
        return version.taille if version else None

    def texte_recherche(self) -> str:
        return "\n".join([self.titre, self.resume])


class FichierRessource(models.Model):
    """Une version du fichier d'une ressource : un nouveau dépôt garde les précédents."""

    ressource = models.ForeignKey(Ressource, on_delete=models.CASCADE, related_name="fichiers")
    fichier = models.FileField(upload_to=PrivateUploadTo("espace"))
    nom = models.CharField("nom du fichier", max_length=255)
    type_contenu = models.CharField("type", max_length=120)
    taille = models.PositiveIntegerField("taille (octets)")
    depose_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    depose_le = models.DateTimeField("déposé le", default=timezone.now)

    class Meta:
        verbose_name = "version de fichier"
        ordering = ["-depose_le", "-pk"]

    def __str__(self):
        return self.nom


class ActualiteQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(espace__in=Espace.objects.visibles_par(user))


class Actualite(models.Model):
    espace = models.ForeignKey(Espace, on_delete=models.CASCADE, related_name="actualites")
    titre = models.CharField(max_length=200)
    texte = models.TextField()
    date = models.DateField(default=datetime.date.today)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActualiteQuerySet.as_manager()

    class Meta:
        verbose_name = "actualité"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return self.titre

    def texte_recherche(self) -> str:
        return "\n".join([self.titre, self.texte])


class StatutProposition(models.TextChoices):
    RECUE = "recue", "Reçue"
    A_L_ETUDE = "a_l_etude", "À l'étude"
    RETENUE = "retenue", "Retenue"
    NON_RETENUE = "non_retenue", "Non retenue"


#: Statuts où une proposition peut passer depuis chaque statut. Une proposition non
#: retenue peut être remise à l'étude ; une proposition retenue est close.
PROPOSITION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    StatutProposition.RECUE: (
        StatutProposition.A_L_ETUDE,
        StatutProposition.RETENUE,
        StatutProposition.NON_RETENUE,
    ),
    StatutProposition.A_L_ETUDE: (StatutProposition.RETENUE, StatutProposition.NON_RETENUE),
    StatutProposition.NON_RETENUE: (StatutProposition.A_L_ETUDE,),
    StatutProposition.RETENUE: (),
}


class PropositionQuerySet(models.QuerySet):
    def visibles_par(self, user):
        return self.filter(espace__in=Espace.objects.visibles_par(user))


class Proposition(models.Model):
    """Proposition d'amélioration du processus de suivi (un meilleur format de fiche…)."""

    Statut = StatutProposition

    espace = models.ForeignKey(Espace, on_delete=models.CASCADE, related_name="propositions")
    titre = models.CharField(max_length=200)
    texte = models.TextField()
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    statut = models.CharField(
        max_length=20, choices=StatutProposition.choices, default=StatutProposition.RECUE
    )
    reponse = models.TextField("réponse", blank=True)
    repondu_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    repondu_le = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField("proposée le", default=timezone.now)

    objects = PropositionQuerySet.as_manager()

    class Meta:
        verbose_name = "proposition"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.titre

    def statuts_possibles(self) -> tuple[str, ...]:
        return PROPOSITION_TRANSITIONS[self.statut]

    def peut_repondre(self, user) -> bool:
        return self.espace.peut_publier(user)

    def texte_recherche(self) -> str:
        return "\n".join([self.titre, self.texte, self.reponse])
