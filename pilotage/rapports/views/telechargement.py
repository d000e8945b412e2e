"""Téléchargements du rapport d'exécution : fichiers produits à la demande, en tâche de
fond (version en rédaction) ou enregistrés sur une version arrêtée, rubrique
« Télécharger » (fragment HTMX suivi pendant une production), journal des accès."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.text import capfirst
from django.views.decorators.http import require_http_methods, require_POST

from pilotage.core.files import attachment, private_file_response
from pilotage.journal.models import Acces
from pilotage.journal.services import acces_record

from .. import selectors, services, telechargements
from ..content.fige import ContenuIllisible, contenu_fige
from ..formats import EXPORTERS, NOMS, TELECHARGEMENT
from ..models import GenerationFichier, RapportExecution
from ..tasks import nom_fichier
from . import _get_rapport, _rapport_url

#: Format → (libellé du bouton, type MIME). Seuls les formats inscrits dans
#: `formats.EXPORTERS` sont proposés : un format ajouté là apparaît ici de lui-même.
FORMATS_TELECHARGEMENT = TELECHARGEMENT


def _telechargements(rapport, versions) -> dict:
    groupes = telechargements.telechargements(rapport, versions)
    return {
        "telechargements": groupes,
        "en_route": any(g.en_route for g in groupes),
        "empreinte": telechargements.empreinte_telechargements(groupes),
    }


def _fragment_telecharger(request, rapport, *, erreur: str = ""):
    """La rubrique « Télécharger » seule (fragment HTMX, rafraîchi pendant une production)."""
    versions = list(rapport.versions_arretees.order_by("numero"))
    context = {"contrat": rapport.contrat, "rapport": rapport, "erreur": erreur}
    context |= _telechargements(rapport, versions)
    if request.method == "GET" and request.GET.get("etat") == context["empreinte"]:
        return HttpResponse(status=204)  # rien n'a changé : la rubrique reste telle quelle
    return render(request, "rapports/includes/telecharger.html", context)


def _journal(request, rapport, numero: int, fmt: str) -> None:
    """Inscrit le téléchargement au journal des accès (comme un compte rendu de réunion)."""
    acces_record(
        user=request.user,
        contrat=rapport.contrat,
        nature=Acces.Nature.TELECHARGEMENT,
        objet=f"Rapport d'exécution {rapport.annee}, version {numero} ({fmt.upper()})",
        request=request,
    )


def _format_connu(fmt: str) -> None:
    if fmt not in EXPORTERS or fmt not in FORMATS_TELECHARGEMENT:
        raise Http404("Format inconnu.")


@require_http_methods(["GET"])
def telecharger(request, pk, annee, fmt):
    """Le rapport dans un format inscrit, produit à la demande depuis les données et les
    textes rédigés de la version en cours (voir le contrat suffit, comme pour la page).
    Rapport arrêté : le fichier enregistré de sa version, qui ne change plus."""
    rapport = _get_rapport(request, pk, annee)
    _format_connu(fmt)
    if rapport.statut == RapportExecution.Statut.ARRETE:
        return redirect("rapports:fichier_version", pk, annee, rapport.version, fmt)
    content = selectors.contenu_du_rapport(rapport)
    if content is None:
        raise Http404("Contenu du rapport indisponible.")
    data = EXPORTERS[fmt](content)
    response = HttpResponse(data, content_type=FORMATS_TELECHARGEMENT[fmt][1])
    _journal(request, rapport, rapport.version, fmt)
    return attachment(response, nom_fichier(rapport, rapport.version, fmt))


def _attendre(request, rapport, message: str):
    messages.info(request, message)
    return redirect(_rapport_url(rapport, "telecharger"))


@require_http_methods(["GET"])
def fichier_version(request, pk, annee, numero, fmt):
    """Un fichier d'une version arrêtée, tel qu'enregistré à l'arrêté (le JSON : relu du
    contenu figé). Pas encore produit : retour à la page, où l'on suit sa production."""
    rapport = _get_rapport(request, pk, annee)
    _format_connu(fmt)
    version = get_object_or_404(rapport.versions_arretees, numero=numero)
    nom = nom_fichier(rapport, version.numero, fmt)
    if fmt == "json":
        try:
            data = EXPORTERS["json"](contenu_fige(version.contenu.get("calcule")))
        except ContenuIllisible as exc:
            raise Http404("Contenu arrêté illisible.") from exc
        _journal(request, rapport, version.numero, fmt)
        return attachment(HttpResponse(data, content_type="application/json"), nom)
    champ = getattr(version, f"fichier_{fmt}", None)
    if champ is None:
        raise Http404("Format inconnu.")
    if not champ:
        return _attendre(
            request, rapport, "Ce fichier de la version arrêtée n'est pas encore prêt."
        )
    _journal(request, rapport, version.numero, fmt)
    return private_file_response(champ, nom)


@require_http_methods(["GET"])
def fichier_brouillon(request, pk, annee, fmt):
    """Le fichier produit en tâche de fond pour la version en rédaction, s'il est prêt."""
    rapport = _get_rapport(request, pk, annee)
    _format_connu(fmt)
    generation = (
        rapport.generations.du_brouillon()
        .filter(format=fmt, version=rapport.version, statut=GenerationFichier.Statut.PRETE)
        .first()
    )
    if generation is None or not generation.fichier:
        return _attendre(request, rapport, "Ce fichier n'est pas prêt : générez-le d'abord.")
    _journal(request, rapport, rapport.version, fmt)
    return private_file_response(generation.fichier, nom_fichier(rapport, rapport.version, fmt))


def _numero_version(valeur: str) -> int | None:
    """Le numéro de version envoyé (vide : la version en rédaction). Illisible ou démesuré :
    0, une version qui n'existe pas, refusée en clair par le service."""
    if not valeur:
        return None
    return int(valeur) if valeur.isdecimal() and len(valeur) < 4 else 0


@require_POST
def generer(request, pk, annee):
    """Demande la production d'un fichier en tâche de fond (champ `format`, et `version`
    pour une version arrêtée) ; la rubrique « Télécharger » suit ensuite la production."""
    rapport = _get_rapport(request, pk, annee)
    fmt = request.POST.get("format", "")
    try:
        services.generation_demander(
            rapport=rapport,
            user=request.user,
            fmt=fmt,
            numero=_numero_version(request.POST.get("version", "")),
        )
    except ValidationError as exc:
        message, level = " ".join(exc.messages), messages.ERROR
    else:
        message = (
            f"{capfirst(NOMS.get(fmt, fmt))} est en production : il sera prêt dans un instant."
        )
        level = messages.SUCCESS
    if request.htmx:
        erreur = message if level == messages.ERROR else ""
        return _fragment_telecharger(request, rapport, erreur=erreur)
    messages.add_message(request, level, message)
    return redirect(_rapport_url(rapport, "telecharger"))
