"""Séance projetée : fiche par fiche, les trois encarts (notes) ; les décisions sont dans
`views/decisions.py`.

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
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from pilotage.contrats.models import FicheAction
from pilotage.contrats.permissions import get_contrat_for
from pilotage.core.personal_data import detect, highlight

from .. import selectors, services
from ..changements import describe
from ..models import Decision, NoteSeance, PointOrdreDuJour, Reunion
from ..permissions import can_organise, get_reunion_for, reunion_among
from ..seance_forms import DecisionForm, NoteForm

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


def _seance_context(request, reunion: Reunion, numero: int | None, reunions=()) -> dict:
    """`reunions` : celles du contrat lues avec leur rang (`selectors.reunions_avec_rang`),
    qui donnent les rangs de la réunion et des décisions ouvertes sans requête de plus."""
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
        selectors.reunions_rangs([reunion], reunions)
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
    # « 2026 – réunion 2 » pour cette réunion et les précédentes : celles du contrat déjà
    # lues avec leur rang, sinon une requête pour toutes.
    selectors.reunions_rangs([reunion] + [d.point.reunion for d in ouvertes], reunions)
    context.update(
        {
            "title": f"Séance – {reunion.titre} – fiche n°{fiche.numero_affiche}",
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


def _render_seance(request, pk, reunion_pk, numero):
    # La réunion prise parmi celles du contrat, lues une fois avec leur rang.
    reunions = selectors.reunions_avec_rang(get_contrat_for(request.user, pk))
    reunion = reunion_among(reunions, reunion_pk)
    context = _seance_context(request, reunion, numero, reunions)
    if request.htmx and not request.htmx.boosted and request.htmx.target == "seance":
        # `fragment` : le fragment porte le <title> de la fiche, qu'htmx reporte sur l'onglet.
        return render(request, "reunions/includes/seance_fiche.html", context | {"fragment": True})
    return render(request, "reunions/seance.html", context)


@require_GET
def seance(request, pk, reunion_pk):
    return _render_seance(request, pk, reunion_pk, None)


@require_GET
def seance_fiche(request, pk, reunion_pk, numero):
    return _render_seance(request, pk, reunion_pk, numero)


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
