"""Séance projetée : fiche par fiche, les trois encarts, les décisions et leur application.

Droits : voir la séance = voir le contrat (sinon 404) ; écrire une note ou une
décision = pilote ou référent du contrat (`Reunion.peut_prendre_notes`) ; appliquer ou clore une
décision = pilote. Une réunion figée (compte rendu validé) n'accepte plus d'écriture :
les services lèvent ValidationError, affichée telle quelle.

Une même adresse rend la page entière ou, pour HTMX, le fragment utile : la fiche
suivante (navigation), l'état d'enregistrement d'une note, les notes des autres,
la liste des décisions ou une décision.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from pilotage.contrats.models import FicheAction
from pilotage.core.personal_data import detect, highlight
from pilotage.core.services import ConflitDeVersion

from .. import selectors, services
from ..changements import describe
from ..models import Decision, NoteSeance, PointOrdreDuJour, Reunion
from ..permissions import can_organise, get_decision_for, get_reunion_for
from ..seance_forms import ClotureForm, DecisionForm, NoteForm
from .planning.reunions import decisions_liste

ENCARTS = NoteSeance.Encart

# --- Chargement --------------------------------------------------------------------


def _point_for(reunion: Reunion, numero: int) -> PointOrdreDuJour:
    point = (
        PointOrdreDuJour.objects.filter(reunion=reunion, fiche__numero=numero)
        .select_related("fiche")
        .first()
    )
    if point is None:
        raise Http404("Cette fiche n'est pas à l'ordre du jour de la réunion.")
    point.reunion = reunion
    point.fiche.contrat = reunion.contrat
    return point


def _rights(user, reunion: Reunion) -> dict:
    verrou = reunion.verrou_seance
    return {
        "peut_ecrire": reunion.peut_prendre_notes(user) and not verrou,
        "peut_piloter": can_organise(user, reunion),
        "figee": reunion.est_figee,
        "verrou": verrou,
    }


def _described(decisions, fiche: FicheAction, user, *, courantes=True) -> list[Decision]:
    """Le changement prévu en clair et, pour `user`, ce qu'il peut en faire : la modifier
    (décisions de la réunion en cours, `courantes`), l'appliquer, la clore."""
    for decision in decisions:
        decision.changement_texte = describe(decision.changement, fiche)
        decision.modifiable = courantes and decision.peut_modifier(user)
        decision.actions = decision.actions_possibles(user)
    return list(decisions)


def _decisions(point: PointOrdreDuJour, user):
    return _described(selectors.point_decisions(point), point.fiche, user)


def _peut_decider(user, point: PointOrdreDuJour) -> bool:
    """Le formulaire « Consigner une décision » : séance ouverte, pilote ou référent de la fiche."""
    return point.peut_consigner(user) and not point.reunion.verrou_seance


def _decisions_ouvertes(point: PointOrdreDuJour, user):
    decisions = list(selectors.decisions_ouvertes_sur_fiche(point))
    for decision in decisions:  # même contrat : ses rôles déjà lus servent
        decision.point.reunion.contrat = point.reunion.contrat
    return _described(decisions, point.fiche, user, courantes=False)


def _decision_form(point, fiche, fiches, data=None, decision=None, initial=None):
    return DecisionForm(
        data,
        fiche=fiche,
        fiches=fiches,
        decision=decision,
        prefix=f"d{decision.pk}" if decision else f"n{point.pk}",
        **({"initial": initial} if initial else {}),
    )


def _seance_context(request, reunion: Reunion, numero: int | None) -> dict:
    points = selectors.seance_points(reunion)
    context = {
        "contrat": reunion.contrat,
        "reunion": reunion,
        "points": points,
        **_rights(request.user, reunion),
    }
    if not points:
        if numero is not None:
            raise Http404("Cette fiche n'est pas à l'ordre du jour de la réunion.")
        selectors.reunions_rangs([reunion])
        context["title"] = f"Séance – {reunion.titre}"
        return context
    if numero is None:
        index = 0
    else:
        index = next((i for i, p in enumerate(points) if p.fiche.numero == numero), None)
        if index is None:
            raise Http404("Cette fiche n'est pas à l'ordre du jour de la réunion.")
    point = points[index]
    point.reunion = reunion
    fiche = selectors.seance_fiche(point)
    point.fiche = fiche
    notes = selectors.seance_notes(point, request.user)
    ouvertes = _decisions_ouvertes(point, request.user)
    # « 2026 – réunion 2 » : calculé en une requête pour cette réunion et les précédentes.
    selectors.reunions_rangs([reunion] + [d.point.reunion for d in ouvertes])
    context.update(
        {
            "title": f"Séance – {reunion.titre} – fiche n°{fiche.numero}",
            "point": point,
            "fiche": fiche,
            "position": index + 1,
            "precedent": points[index - 1] if index > 0 else None,
            "suivant": points[index + 1] if index + 1 < len(points) else None,
            "resume": selectors.fiche_resume(fiche),
            "encarts": [(value, label, notes[value]) for value, label in ENCARTS.choices],
            "decisions": _decisions(point, request.user),
            "decisions_ouvertes": ouvertes,
            "peut_decider": _peut_decider(request.user, point),
            "next": reverse(
                "reunions:seance_fiche", args=[reunion.contrat_id, reunion.pk, fiche.numero]
            ),
        }
    )
    if context["peut_decider"]:
        context["form"] = _decision_form(point, fiche, selectors.contrat_fiches_courtes(reunion))
    return context


def _render_seance(request, reunion, numero):
    context = _seance_context(request, reunion, numero)
    if request.htmx and not request.htmx.boosted and request.htmx.target == "seance":
        # `fragment` : le fragment porte le <title> de la fiche, qu'htmx reporte sur l'onglet.
        return render(request, "reunions/includes/seance_fiche.html", context | {"fragment": True})
    return render(request, "reunions/seance.html", context)


@require_GET
def seance(request, pk, reunion_pk):
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    return _render_seance(request, reunion, None)


@require_GET
def seance_fiche(request, pk, reunion_pk, numero):
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    return _render_seance(request, reunion, numero)


# --- Notes ---------------------------------------------------------------------------


def _note_status(request, context: dict, status: int = 200):
    return render(request, "reunions/includes/note_statut.html", context, status=status)


def _note_refused(request, context: dict, messages_list: list[str]):
    """La note n'est pas enregistrée : la raison à la place de « Enregistré » (HTMX), ou
    en message sur la fiche ; la note déjà enregistrée reste telle quelle."""
    message = " ".join(messages_list)
    if request.htmx:
        return _note_status(request, context | {"erreur": message}, status=400)
    messages.error(request, message)
    point = context["point"]
    return redirect(
        "reunions:seance_fiche", context["contrat"].pk, point.reunion.pk, point.fiche.numero
    )


@require_http_methods(["GET", "POST"])
def note_save(request, pk, reunion_pk, numero, encart):
    """POST : enregistre la note de l'utilisateur ; GET : les notes des autres (rafraîchies)."""
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    if encart not in ENCARTS.values:
        raise Http404("Encart inconnu.")
    point = _point_for(reunion, numero)
    context = {
        "reunion": reunion,
        "contrat": reunion.contrat,
        "point": point,
        "fiche": point.fiche,
        "encart": encart,
        **_rights(request.user, reunion),
    }
    if request.method == "GET":
        autres = selectors.seance_notes(point, request.user)[encart]["autres"]
        return render(request, "reunions/includes/note_autres.html", context | {"autres": autres})
    if not reunion.peut_prendre_notes(request.user):
        if request.htmx:
            return _note_status(
                request,
                context | {"erreur": "Seuls les pilotes et les référents prennent des notes."},
                status=403,
            )
        raise PermissionDenied("Seuls les pilotes et les référents prennent des notes en séance.")
    form = NoteForm(request.POST)
    if not form.is_valid():  # texte trop long : refusé, jamais enregistré vide
        return _note_refused(request, context, form.errors.get("texte", []))
    texte = form.cleaned_data["texte"]
    try:
        note = services.note_save(
            point=point,
            encart=encart,
            auteur=request.user,
            texte=texte,
            confirme=form.cleaned_data["confirme"],
        )
    except ValidationError as exc:
        return _note_refused(request, context, exc.messages)
    surligne = highlight(note.texte, detect(note.texte)) if note.en_attente else ""
    if request.htmx:
        return _note_status(
            request,
            context
            | {
                "note": note,
                "enregistre_a": timezone.localtime(note.updated_at),
                "surligne": surligne,
            },
        )
    if surligne:
        messages.warning(
            request,
            "Votre note est enregistrée mais pas encore partagée : elle contient des passages "
            "qui ressemblent à des données personnelles. Reformulez-les, ou confirmez.",
        )
    else:
        messages.success(request, "Votre note est enregistrée.")
    return redirect("reunions:seance_fiche", pk, reunion.pk, numero)


# --- Décisions -------------------------------------------------------------------------


def _next_url(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, {request.get_host()}, request.is_secure()):
        return url
    return default


def _seance_url(decision: Decision) -> str:
    point = decision.point
    return reverse(
        "reunions:seance_fiche",
        args=[point.reunion.contrat_id, point.reunion_id, point.fiche.numero],
    )


def _decisions_section(request, reunion, point, fiche, form=None, status=200, **extra):
    """La rubrique « Prise de décision en séance » d'une fiche (liste et formulaire)."""
    context = {
        "reunion": reunion,
        "contrat": reunion.contrat,
        "point": point,
        "fiche": fiche,
        "decisions": _decisions(point, request.user),
        "next": reverse(
            "reunions:seance_fiche", args=[reunion.contrat_id, reunion.pk, fiche.numero]
        ),
        "peut_decider": _peut_decider(request.user, point),
        **_rights(request.user, reunion),
        **extra,
    }
    if context["peut_decider"]:
        context["form"] = form or _decision_form(
            point, fiche, selectors.contrat_fiches_courtes(reunion)
        )
    elif form is not None:  # réunion figée entre-temps : le formulaire n'est plus affiché
        context["erreur"] = " ".join(form.non_field_errors())
    return render(request, "reunions/includes/decision_section.html", context, status=status)


@require_http_methods(["GET", "POST"])
def decision_create(request, pk, reunion_pk, numero):
    """POST : consigne une décision. GET `?categorie=` : les champs du changement du type."""
    reunion = get_reunion_for(request.user, pk, reunion_pk)
    point = _point_for(reunion, numero)
    fiche = selectors.seance_fiche(point)
    point.fiche = fiche
    if request.method == "GET":
        if not request.htmx:
            return redirect("reunions:seance_fiche", pk, reunion.pk, numero)
        prefix = request.GET.get("prefix") or f"n{point.pk}"
        form = DecisionForm(
            initial={
                "categorie": request.GET.get(f"{prefix}-categorie", ""),
                "action": request.GET.get(f"{prefix}-action", ""),
            },
            fiche=fiche,
            fiches=selectors.contrat_fiches_courtes(reunion),
            prefix=prefix,
        )
        template = "reunions/includes/decision_changement.html"
        if request.GET.get("partie") == "champs":
            template += "#champs"
        context = {"form": form, "contrat": reunion.contrat, "reunion": reunion, "fiche": fiche}
        return render(request, template, context)
    if not point.peut_consigner(request.user):
        raise PermissionDenied(
            "Seuls les pilotes et les référents de cette fiche y consignent des décisions."
        )
    fiches = selectors.contrat_fiches_courtes(reunion)
    form = _decision_form(point, fiche, fiches, data=request.POST)
    choosing = "choisir" in request.POST  # sans JavaScript : afficher les champs du type
    if not choosing and form.is_valid():
        try:
            services.decision_create(
                point=point,
                auteur=request.user,
                fields=form.service_fields(),
                confirmations=form.personal_data_confirmed,
            )
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if request.htmx:
                return _decisions_section(
                    request, reunion, point, fiche, annonce="Décision consignée."
                )
            messages.success(request, "Décision consignée.")
            return redirect("reunions:seance_fiche", pk, reunion.pk, numero)
    if choosing:
        form.errors.clear()
    status = 200 if choosing else 400
    if request.htmx:
        return _decisions_section(request, reunion, point, fiche, form=form, status=status)
    context = _seance_context(request, reunion, numero)
    context["form"] = form
    return render(request, "reunions/seance.html", context, status=status)


def _decision_context(request, decision: Decision, **extra) -> dict:
    reunion = decision.point.reunion
    return {
        "decision": decision,
        "reunion": reunion,
        "contrat": reunion.contrat,
        "next": _next_url(request, _seance_url(decision)),
        **_rights(request.user, reunion),
        **extra,
    }


def _decision_item(request, decision: Decision, status=200, **extra):
    decision = Decision.objects.select_related(
        "point__fiche", "point__reunion", "appliquee_par", "close_par", "auteur"
    ).get(pk=decision.pk)
    _described([decision], decision.point.fiche, request.user)
    selectors.reunions_rangs([decision.point.reunion])
    context = _decision_context(request, decision, **extra)
    context["courante"] = request.POST.get("courante", request.GET.get("courante")) != "0"
    return render(request, "reunions/includes/decision_item.html", context, status=status)


@require_http_methods(["GET", "POST"])
def decision_edit(request, pk, decision_pk):
    """Modifier (verrou de version) ou supprimer une décision consignée."""
    decision = get_decision_for(request.user, pk, decision_pk)
    reunion = decision.point.reunion
    point = decision.point
    fiche = selectors.seance_fiche(point)
    point.fiche = fiche
    fiches = selectors.contrat_fiches_courtes(reunion)
    modifiable = decision.peut_modifier(request.user)
    if request.method == "GET":
        if request.GET.get("vue") == "item" or (request.htmx and not modifiable):
            return _decision_item(request, decision)  # « Annuler » la modification
        form = _decision_form(point, fiche, fiches, decision=decision) if modifiable else None
        return _decision_form_response(request, decision, form)
    if not modifiable:
        return _decision_locked(request, decision)
    if "supprimer" in request.POST:
        try:
            services.decision_delete(decision=decision, user=request.user)
        except ValidationError as exc:
            form = _decision_form(point, fiche, fiches, decision=decision)
            form.add_error(None, exc.messages)
            return _decision_form_response(request, decision, form, status=400)
        if request.htmx:
            # La dernière décision de la fiche supprimée : la liste le dit, comme la page.
            vide = (
                ""
                if point.decisions.exists()
                else '<li class="decisions__vide">Aucune décision consignée pour cette fiche.</li>'
            )
            return HttpResponse(
                '<li class="decision decision--supprimee"><p class="fr-text--sm">'
                "Décision supprimée.</p></li>" + vide
            )
        messages.success(request, "Décision supprimée.")
        return redirect(_next_url(request, _seance_url(decision)))
    form = _decision_form(point, fiche, fiches, data=request.POST, decision=decision)
    choosing = "choisir" in request.POST
    conflit = None
    if not choosing and form.is_valid():
        try:
            saved = services.decision_update(
                decision=decision,
                user=request.user,
                expected_version=form.cleaned_data.get("version") or 0,
                fields=form.service_fields(),
                confirmations=form.personal_data_confirmed,
            )
        except ConflitDeVersion:
            # Rien n'est écrasé : la saisie reste, la version actuelle est montrée,
            # un nouvel envoi (en connaissance de cause) partira de celle-ci.
            conflit = Decision.objects.select_related("point__fiche").get(pk=decision.pk)
            post = request.POST.copy()
            post[form.add_prefix("version")] = conflit.version
            form = _decision_form(point, fiche, fiches, data=post, decision=decision)
            form.is_valid()
            return _decision_form_response(request, decision, form, status=409, conflit=conflit)
        except ValidationError as exc:
            form.add_service_error(exc)
        else:
            if request.htmx:
                return _decision_item(request, saved, annonce="Décision modifiée.")
            messages.success(request, "Décision modifiée.")
            return redirect(_next_url(request, _seance_url(decision)))
    if choosing:
        form.errors.clear()
    return _decision_form_response(request, decision, form, status=200 if choosing else 400)


def _decision_locked(request, decision: Decision):
    """Modification refusée : la séance verrouillée le dit en clair (la décision reste
    affichée, en lecture seule) ; sinon, ce n'est pas la décision de cette personne."""
    message = decision.point.reunion.verrou_seance
    if not message:
        raise PermissionDenied(
            "Seuls les pilotes du contrat et l'auteur de la décision, référent de la fiche, "
            "la modifient."
        )
    if request.htmx:
        return _decision_item(request, decision, status=409, refus=message)
    messages.error(request, message)
    return redirect(request.path)


def _decision_form_response(request, decision, form, status=200, **extra):
    context = _decision_context(request, decision, form=form, **extra)
    context["fiche"] = decision.point.fiche
    context["point"] = decision.point
    if request.htmx:
        return render(request, "reunions/includes/decision_edit.html", context, status=status)
    context["title"] = "Modifier une décision" if form is not None else "Décision de réunion"
    context["historique"] = selectors.decision_historique(decision)
    context["page_decision"] = True
    _described([decision], decision.point.fiche, request.user)
    return render(request, "reunions/seance_decision.html", context, status=status)


def _decision_answer(request, decision: Decision, *, status=200, close=False, **extra):
    """Réponse HTMX à « Appliquer » ou « Clore » : la liste des décisions du contrat si
    l'action vient d'elle (`vue=liste`) ; la décision close d'une réunion précédente
    quitte les « décisions ouvertes » de la séance ; sinon, la décision mise à jour."""
    if request.POST.get("vue") == "liste":
        extra.pop("cloture_form", None)
        contrat = decision.point.reunion.contrat
        return decisions_liste(request, contrat, status=status, **extra)
    if close and request.POST.get("courante") == "0":
        context = {"decision": decision, **extra}
        return render(request, "reunions/includes/decision_retiree.html", context)
    return _decision_item(request, decision, status=status, **extra)


@require_POST
def decision_apply(request, pk, decision_pk):
    """Applique le changement de la décision à la fiche (pilotes)."""
    decision = get_decision_for(request.user, pk, decision_pk)
    try:
        services.decision_apply(decision=decision, user=request.user)
    except ValidationError as exc:
        message = "La décision n'a pas été appliquée : " + " ".join(exc.messages)
        if request.htmx:
            return _decision_answer(request, decision, status=400, erreur=message)
        messages.error(request, message)
    else:
        if request.htmx:
            return _decision_answer(request, decision, annonce="Décision appliquée à la fiche.")
        messages.success(request, "Décision appliquée à la fiche : voir l'historique de la fiche.")
    return redirect(_next_url(request, _seance_url(decision)))


@require_POST
def decision_close(request, pk, decision_pk):
    """Clôt une décision (pilotes), avec un commentaire facultatif."""
    decision = get_decision_for(request.user, pk, decision_pk)
    if not can_organise(request.user, decision.point.reunion):
        raise PermissionDenied("Seuls les pilotes du contrat closent les décisions.")
    form = ClotureForm(request.POST, prefix=f"c{decision.pk}")
    if form.is_valid():
        services.decision_close(
            decision=decision,
            user=request.user,
            commentaire=form.cleaned_data["commentaire"],
            confirmations=form.personal_data_confirmed,
        )
        if request.htmx:
            return _decision_answer(request, decision, annonce="Décision close.", close=True)
        messages.success(request, "Décision close : elle ne reviendra plus à l'ordre du jour.")
        return redirect(_next_url(request, _seance_url(decision)))
    if request.htmx:
        return _decision_answer(request, decision, status=400, cloture_form=form)
    messages.error(request, " ".join(form.non_field_errors()) or "La décision n'a pas été close.")
    return redirect(_next_url(request, _seance_url(decision)))
