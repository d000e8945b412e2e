"""Pages des contrats et des fiches actions. Les écritures passent par `services`."""

import json
from collections import Counter, defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from pilotage.core import attente, history, journal
from pilotage.core.models import Revision
from pilotage.core.services import ConflitDeVersion
from pilotage.referentiel.models import Objectif

from . import cartes, conflicts, permissions, retraits, services
from .adresses import adresses_des_fiches
from .badges import etat_badges
from .export import contrat_export
from .forms import (
    FORMSETS,
    FicheFiltresForm,
    FicheForm,
    build_formsets,
    check_rows_personal_data,
)
from .models import Contrat, Etat, FicheAction, Jalon, jalons_en_retard


def breadcrumb(contrat: Contrat, fiche: FicheAction | None = None, current: str = ""):
    """Fil d'Ariane : Accueil (mes contrats) › contrat › fiche › page courante."""
    links = []
    if fiche or current:
        links.append({"url": reverse("contrats:contrat", args=[contrat.pk]), "title": str(contrat)})
    if fiche and current:
        links.append(
            {
                "url": reverse("contrats:fiche", args=[contrat.pk, fiche.numero]),
                "title": f"Fiche action n°{fiche.numero_affiche}",
            }
        )
    if not current:
        current = f"Fiche action n°{fiche.numero_affiche}" if fiche else str(contrat)
    return {"links": links, "current": current}


@require_GET
def accueil(request):
    contrats = (
        Contrat.objects.visibles_par(request.user)
        .select_related("departement", "generation")
        .annotate(nb_fiches=Count("fiches", distinct=True))
        # Une lecture groupée ne reprend pas `Meta.ordering` : l'ordre est demandé.
        .order_by(*Contrat._meta.ordering)
    )
    return render(
        request,
        "contrats/accueil.html",
        {
            "title": "Mes contrats",
            "contrats": cartes.cartes(contrats),
            # Ce qui attend la personne (tâches, réunions, décisions) : `core.attente`.
            "blocs": attente.blocs_de(request.user, timezone.localdate()),
        },
    )


def _objectifs_label(objectifs: list[Objectif]) -> str:
    """« Objectif n°3 », « Objectifs n°1 et 2 » ; un objectif sans numéro (génération
    2020-2024) par sa mesure et son intitulé."""
    if not objectifs:
        return "Sans objectif"
    if any(o.numero is None for o in objectifs):
        return " ; ".join(
            (f"{o.mesure} – " if o.mesure else "") + f"Objectif : {o.titre}" for o in objectifs
        )
    numeros = [o.numero for o in objectifs]
    if len(numeros) == 1:
        return f"Objectif n°{numeros[0]}"
    return "Objectifs n°" + ", ".join(map(str, numeros[:-1])) + f" et {numeros[-1]}"


def _group_by_objectifs(fiches) -> list[tuple[str, list[FicheAction]]]:
    """Les fiches (`_avec_objectifs`) groupées par leurs objectifs, dans l'ordre des objectifs."""
    groups: dict[tuple, list[FicheAction]] = defaultdict(list)
    objectifs: dict[tuple, list[Objectif]] = {}
    for fiche in fiches:
        liste = sorted(fiche.objectifs_listes, key=lambda o: o.sort_key)
        key = tuple(o.sort_key for o in liste)
        groups[key].append(fiche)
        objectifs[key] = liste
    return [
        (_objectifs_label(objectifs[key]), groups[key])
        for key in sorted(groups, key=lambda k: k or ((2, 0, 0),))
    ]


#: Colonnes de la fiche que montre la liste de la page du contrat (lien, badges, référent).
COLONNES_LISTE = ("contrat", "numero", "numero_texte", "titre", "etat", "a_impact", "referent")
#: Colonnes d'un objectif : son groupe dans la liste (numéro, ordre, mesure, intitulé).
COLONNES_OBJECTIF = ("id", "numero", "ordre", "titre", "mesure__numero", "mesure__titre")


def _objectifs(**filtre):
    return Objectif.objects.filter(**filtre).select_related("mesure").only(*COLONNES_OBJECTIF)


def _fiches_listees(base, data: dict, retard: bool = True):
    """Les fiches de la liste, une ligne par objectif (`_objectif_id`, None pour une fiche
    sans objectif : à regrouper par `_avec_objectifs`), filtrées selon `data` (les filtres
    valides ; vide : toutes les fiches). `retard` : lire le retard avec les fiches (sinon,
    la vue le pose d'après les étapes en retard qu'elle lit). Les objectifs joints, et non
    lus par une requête de plus : ceux de la génération sont déjà lus pour le filtre ; le
    filtre par objectif, posé après, a sa propre jointure."""
    fiches = (
        (base.with_retard() if retard else base)
        .only(*COLONNES_LISTE)
        .annotate(_objectif_id=F("objectifs"))
        .order_by("numero")
    )
    if not any(data.values()):
        return fiches
    if data["objectif"]:
        fiches = fiches.filter(objectifs__numero=data["objectif"])
    if data["etat"] == "retard":
        fiches = fiches.filter(_en_retard=True).exclude(etat__in=[Etat.REALISEE, Etat.ABANDONNEE])
    elif data["etat"]:
        fiches = fiches.filter(etat=data["etat"])
    if data["referent"]:
        fiches = fiches.du_referent(data["referent"])
    if data["a_impact"]:
        fiches = fiches.filter(a_impact=True)
    return fiches.distinct()


def _avec_objectifs(rows, objectifs: list[Objectif]) -> list[FicheAction]:
    """Les fiches des lignes de `_fiches_listees`, une fois chacune et dans leur ordre,
    chacune avec `objectifs_listes`, ses objectifs pris dans `objectifs` (ceux de la
    génération du contrat) ; un objectif d'une autre génération, que rien n'interdit, lu
    en plus."""
    par_id = {objectif.pk: objectif for objectif in objectifs}
    autres = {row._objectif_id for row in rows} - par_id.keys() - {None}
    if autres:
        par_id |= {objectif.pk: objectif for objectif in _objectifs(pk__in=autres)}
    fiches: dict[int, FicheAction] = {}
    for row in rows:
        fiche = fiches.setdefault(row.pk, row)
        if fiche is row:
            fiche.objectifs_listes = []
        if row._objectif_id is not None:
            fiche.objectifs_listes.append(par_id[row._objectif_id])
    return list(fiches.values())


def _filtres_et_fiches(request, contrat: Contrat, base, retard: bool = True):
    """Le formulaire des filtres, les fiches listées et toutes les fiches (compteurs).
    Sans filtre demandé, une seule lecture des fiches sert la liste, les compteurs et les
    référents proposés au filtre (`retard` : voir `_fiches_listees`)."""
    # Une seule génération : son ordre (`ordre`, `numero`) sans joindre la génération ;
    # les objectifs du filtre sont aussi ceux des groupes de la liste.
    objectifs = list(_objectifs(generation_id=contrat.generation_id).order_by("ordre", "numero"))
    if not request.GET:
        fiches = _avec_objectifs(list(_fiches_listees(base, {}, retard=retard)), objectifs)
        referents = base.referents_distincts(noms=[f.referent for f in fiches])
        filtres = FicheFiltresForm(None, contrat=contrat, objectifs=objectifs, referents=referents)
        return filtres, fiches, fiches
    referents = base.order_by().referents_distincts()
    filtres = FicheFiltresForm(
        request.GET, contrat=contrat, objectifs=objectifs, referents=referents
    )
    data = filtres.cleaned_data if filtres.is_valid() else {}
    fiches = _avec_objectifs(list(_fiches_listees(base, data)), objectifs)
    if not any(data.values()):
        return filtres, fiches, fiches
    return filtres, fiches, list(base.with_retard().only("etat", "a_impact"))


def _jalons_en_retard(contrat: Contrat, fiche_url) -> list[Jalon]:
    """Les étapes en retard des fiches en cours ou non démarrées, avec l'adresse de leur
    fiche (page entière seulement : le fragment de la liste ne les montre pas)."""
    jalons = list(
        Jalon.objects.filter(jalons_en_retard(), fiche__contrat=contrat)
        .exclude(fiche__etat__in=[Etat.REALISEE, Etat.ABANDONNEE])
        .select_related("fiche")
        .only("libelle", "date_prevue", "fiche", "fiche__numero")
        .order_by("date_prevue")
    )
    for jalon in jalons:
        jalon.fiche.url = fiche_url(jalon.fiche.numero)
    return jalons


@require_GET
def contrat_detail(request, pk):
    contrat = permissions.get_contrat_for(request.user, pk)
    base = FicheAction.objects.filter(contrat=contrat)
    # Page entière sans filtre : le retard des fiches se déduit des étapes en retard que la
    # page lit déjà (même règle, celle de `with_retard`), sans sous-requête par fiche, dont
    # la construction coûtait le tiers de la lecture des fiches.
    retard_lu = bool(request.htmx or request.GET)
    filtres, fiches, all_fiches = _filtres_et_fiches(request, contrat, base, retard=retard_lu)
    fiche_url = adresses_des_fiches(contrat.pk)
    jalons = [] if request.htmx else _jalons_en_retard(contrat, fiche_url)
    if not retard_lu:
        fiches_en_retard = {jalon.fiche_id for jalon in jalons}
        for fiche in fiches:  # réalisées et abandonnées : jamais en retard (`en_retard`)
            fiche._en_retard = fiche.pk in fiches_en_retard
    etat_badges(fiches)
    for fiche in fiches:
        fiche.url = fiche_url(fiche.numero)
    counts = Counter(f.etat for f in all_fiches)
    context = {
        "title": str(contrat),
        "contrat": contrat,
        "filtres": filtres,
        "fiches": fiches,  # les fiches listées, dans l'ordre ; `groupes` : par objectifs
        "groupes": _group_by_objectifs(fiches),
        "nb_resultats": len(fiches),
        "nb_total": len(all_fiches),
        "etats": [(value, label, counts.get(value, 0)) for value, label in Etat.choices],
        "nb_retard": sum(1 for f in all_fiches if f.en_retard),
        "nb_impact": sum(1 for f in all_fiches if f.a_impact),
        "peut_creer": permissions.can_create_fiche(request.user, contrat),
        "peut_gerer_acces": permissions.can_manage_acces(request.user, contrat),
        "peut_importer_valeurs": permissions.can_record_values_in(request.user, contrat),
        "breadcrumb_data": breadcrumb(contrat),
    }
    if request.htmx:
        return render(request, "contrats/contrat.html#liste-fiches", context)
    context["jalons_en_retard"] = jalons
    journal.record(
        request, contrat=contrat, nature=journal.NatureAcces.CONSULTATION, objet="Page du contrat"
    )
    return render(request, "contrats/contrat.html", context)


#: Séparateurs sans espace : l'export d'un contrat suivi pèse un tiers de moins qu'indenté.
JSON_COMPACT = {"separators": (",", ":")}


@require_GET
def contrat_export_json(request, pk):
    """Le contrat en JSON, compact ; indenté pour être lu avec `?lisible=1`."""
    contrat = permissions.get_contrat_for(request.user, pk)
    layout = {"indent": 2} if request.GET.get("lisible") else JSON_COMPACT
    payload = json.dumps(contrat_export(contrat, viewer=request.user), ensure_ascii=False, **layout)
    response = HttpResponse(payload, content_type="application/json; charset=utf-8")
    filename = f"contrat-{contrat.departement.code}-{contrat.generation.code}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    journal.record(
        request, contrat=contrat, nature=journal.NatureAcces.EXPORT, objet="Export JSON du contrat"
    )
    return response


def _fiche_full(fiches) -> FicheAction:
    """La fiche de `fiches` avec tout ce qu'elle montre, sinon 404."""
    # « En retard » (badge de l'en-tête) lu avec la fiche, sans requête au rendu.
    fiche = fiches.with_retard().completes().first()
    if fiche is None:
        raise Http404("Fiche introuvable")
    return fiche


def _fiche_context(request, contrat: Contrat, fiche: FicheAction) -> dict:
    indicateurs = list(fiche.indicateurs.all())
    return {
        "title": f"Fiche action n°{fiche.numero_affiche} – {fiche.titre}",
        "contrat": contrat,
        "fiche": fiche,
        "objectifs": sorted(fiche.objectifs.all(), key=lambda o: o.sort_key),
        "indicateurs_quantitatifs": [i for i in indicateurs if i.nature == "quantitatif"],
        "indicateurs_qualitatifs": [i for i in indicateurs if i.nature == "qualitatif"],
        "peut_modifier": permissions.can_edit_fiche(request.user, fiche),
        "onglet": "fiche",
        "breadcrumb_data": breadcrumb(contrat, fiche),
    }


@require_GET
def fiche_detail(request, pk, numero):
    # La fiche, son contrat (s'il est visible, sinon 404) et les rôles de la personne en
    # une requête, avec ce que la page montre (dont les étapes : « en retard » en découle).
    fiche = permissions.get_fiche_for(request.user, pk, numero, complete=True)
    contrat = fiche.contrat
    context = _fiche_context(request, contrat, fiche)
    journal.record(
        request,
        contrat=contrat,
        nature=journal.NatureAcces.CONSULTATION,
        objet=f"Fiche {fiche.numero} – {fiche.titre}",
    )
    return render(request, "contrats/fiche.html", context)


@require_POST
def ligne_remettre_en_service(request, pk, numero, relation, ligne_pk):
    """« Remettre en service » une ligne retirée de la fiche : la fiche rendue en place
    (HTMX, avec l'annonce), sinon retour à la page de la fiche. Le droit et la ligne sont
    vérifiés par le service (403, ou message d'erreur)."""
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    if relation not in retraits.RETIRABLES:
        raise Http404("Liste inconnue")
    annonce, erreur = "", ""
    try:
        ligne = services.ligne_remettre_en_service(
            fiche=fiche, user=request.user, relation=relation, ligne_id=ligne_pk
        )
        annonce = f"« {ligne} » est remis en service."
    except ValidationError as exc:
        erreur = " ".join(exc.messages)
    if not request.htmx:
        if erreur:
            messages.error(request, erreur)
        else:
            messages.success(request, annonce)
        return redirect("contrats:fiche", fiche.contrat_id, fiche.numero)
    contrat = fiche.contrat
    fiche = _fiche_full(FicheAction.objects.filter(contrat=contrat, numero=fiche.numero))
    fiche.contrat = contrat
    context = _fiche_context(request, contrat, fiche)
    context["annonce"] = annonce
    context["erreur"] = erreur
    status = 400 if erreur else 200
    return render(request, "contrats/fiche.html#fiche-officielle", context, status=status)


@require_GET
def fiche_history(request, pk, numero):
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    # Auteur, lignes et légendes (décision de réunion, document importé…) en un nombre
    # fixe de requêtes : chaque application en aval y a inscrit ce qu'elle montre.
    revisions = history.revisions_for_display(Revision.objects.for_object(fiche))
    context = {
        "title": f"Historique de la fiche action n°{fiche.numero}",
        "contrat": fiche.contrat,
        "fiche": fiche,
        "revisions": revisions,
        "peut_modifier": permissions.can_edit_fiche(request.user, fiche),
        "onglet": "historique",
        "breadcrumb_data": breadcrumb(fiche.contrat, fiche, "Historique"),
    }
    if request.htmx:
        return render(request, "contrats/historique.html#historique", context)
    return render(request, "contrats/historique.html", context)


def _save_fiche(request, contrat: Contrat, fiche: FicheAction | None):
    """Traite le formulaire de création ou de modification d'une fiche."""
    instance = fiche or FicheAction(contrat=contrat)
    form = FicheForm(request.POST or None, instance=instance, contrat=contrat)
    formsets = build_formsets(instance, request.POST or None)
    conflict = None
    if request.method == "POST":
        valid = form.is_valid() & all(fs.is_valid() for _t, fs in formsets.values())
        valid = check_rows_personal_data(form, formsets) and valid  # avec les autres erreurs
        if valid:
            data = form.cleaned_data
            fields = {name: data[name] for name in services.FICHE_FIELDS if name in data}
            lists = {name: fs.rows() for name, (_t, fs) in formsets.items()}
            try:
                if fiche is None:
                    saved = services.fiche_create(
                        contrat=contrat,
                        user=request.user,
                        fields=fields,
                        objectifs=data["objectifs"],
                        referents=data["referents"],
                        confirmations=form.personal_data_confirmed,  # rubriques et lignes
                        **lists,
                    )
                    messages.success(request, f"La fiche action n°{saved.numero} a été créée.")
                else:
                    saved = services.fiche_update(
                        fiche=fiche,
                        user=request.user,
                        expected_version=data.get("version") or 0,
                        fields=fields,
                        objectifs=data["objectifs"],
                        referents=data["referents"],
                        confirmations=form.personal_data_confirmed,
                        **lists,
                    )
                    messages.success(request, "Vos modifications ont été enregistrées.")
                return redirect("contrats:fiche", contrat.pk, saved.numero)
            except ConflitDeVersion as exc:
                form, formsets, conflict = _conflict(request, contrat, fiche, exc, data, lists)
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
    return form, formsets, conflict


def _conflict(request, contrat: Contrat, fiche: FicheAction, exc: ConflitDeVersion, data, lists):
    """Le formulaire refusé pour conflit : la saisie est conservée, rebasée sur la version
    actuelle (`conflicts.fiche_rebase`) ; un nouvel envoi, fait en connaissance de cause,
    n'efface pas en silence le changement de l'autre personne."""
    revisions = history.revisions_for_display(
        Revision.objects.for_object(fiche).filter(version__gt=exc.expected_version)
    )
    rebase = conflicts.fiche_rebase(
        fiche=fiche, post=request.POST, cleaned=data, lists=lists, revisions=revisions
    )
    current = FicheAction.objects.get(pk=fiche.pk)
    form = FicheForm(rebase.post, instance=current, contrat=contrat)
    form.is_valid()
    for clash in rebase.clashes:
        if clash.field in form.fields:
            form.add_error(clash.field, CLASH_MESSAGE)
    formsets = build_formsets(current, request.POST)
    for name in rebase.adopted_lists:
        title, factory = FORMSETS[name]
        formsets[name] = (title, factory(None, instance=current, prefix=name))
    for _title, formset in formsets.values():
        formset.is_valid()
    return form, formsets, {"revisions": revisions, "rebase": rebase, "version": current.version}


#: Message posé sur une rubrique que l'auteur et une autre personne ont changée.
CLASH_MESSAGE = (
    "Une autre personne a aussi modifié cette rubrique : comparez avec sa version "
    "(ci-dessus) avant d'enregistrer de nouveau."
)


def fiche_create(request, pk):
    contrat = permissions.get_contrat_for(request.user, pk)
    if not permissions.can_create_fiche(request.user, contrat):
        raise PermissionDenied("Seuls les pilotes du contrat peuvent créer une fiche.")
    result = _save_fiche(request, contrat, None)
    if isinstance(result, HttpResponse):
        return result
    form, formsets, conflict = result
    return render(
        request,
        "contrats/fiche_form.html",
        {
            "title": "Nouvelle fiche action",
            "contrat": contrat,
            "form": form,
            "formsets": formsets.values(),
            "breadcrumb_data": breadcrumb(contrat, None, "Nouvelle fiche action"),
        },
        status=400 if request.method == "POST" else 200,
    )


def fiche_edit(request, pk, numero):
    fiche = permissions.get_fiche_for(request.user, pk, numero)
    if not permissions.can_edit_fiche(request.user, fiche):
        raise PermissionDenied("Vous ne pouvez pas modifier cette fiche.")
    numero = fiche.numero  # le formulaire refusé remplace fiche.numero par le numéro saisi
    result = _save_fiche(request, fiche.contrat, fiche)
    if isinstance(result, HttpResponse):
        return result
    form, formsets, conflict = result
    fiche.numero = numero
    status = 200
    if request.method == "POST":
        status = 409 if conflict else 400
    return render(
        request,
        "contrats/fiche_form.html",
        {
            "title": f"Modifier la fiche action n°{fiche.numero}",
            "contrat": fiche.contrat,
            "fiche": fiche,
            "form": form,
            "formsets": formsets.values(),
            "conflict": conflict,
            "breadcrumb_data": breadcrumb(fiche.contrat, fiche, "Modifier"),
        },
        status=status,
    )
