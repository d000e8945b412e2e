"""Moyens déplacés entre fiches (énoncés dans les deux fiches) et annexe financière
(par fiche et financeur : prévu, transferts, valorisation à part, exécuté saisi par les
pilotes avec le brouillon, `MontantExecute`).

Les redéploiements viennent des décisions de réunion : un transfert appliqué (montant,
financeur, année), l'abandon d'une action dont les crédits vont à une autre fiche
(`FicheAction.fiche_beneficiaire`, sans montant dans le modèle), une décision « moyens »
sans changement automatique dont le texte nomme l'action renforcée (« … en renfort de
l'action 11 »). Une ligne de financement écrite par un transfert se reconnaît à sa note
(« transfert vers la fiche n°6 », voir `reunions.changements.actions.Transfert`)."""

import re
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone

from pilotage.contrats.models import Etat, Financement
from pilotage.core.formats import euros
from pilotage.reunions.models import Decision, Reunion

from .types import (
    AnnexeFinanciere,
    LigneAnnexe,
    Redeploiement,
    RedeploiementFiche,
    TotalFinanceur,
)

TRANSFER_NOTE = re.compile(r"transfert (?:vers|de) la fiche n°\s*\d+")
RENFORT = re.compile(r"renfort (?:de l'|de l’|de la )?(?:action|fiche)\s*(?:n°\s*)?(\d+)", re.I)
ZERO = Decimal(0)


def contrat_decisions(contrat) -> list[Decision]:
    """Les décisions des réunions tenues du contrat (une requête)."""
    return list(
        Decision.objects.filter(point__reunion__contrat=contrat)
        .exclude(point__reunion__statut=Reunion.Statut.ANNULEE)
        .select_related("point__reunion")
        .order_by("point__reunion__date", "pk")
    )


def _annee(decision: Decision) -> int:
    return timezone.localtime(decision.point.reunion.date).year


def _texts(montant: Decimal | None, vers: str, depuis: str, partiel: bool) -> tuple[str, str]:
    hauteur = f" à hauteur de {euros(montant)}" if montant is not None else ""
    sujet = (
        "Une partie des moyens alloués à cette action a été utilisée"
        if partiel
        else ("Les moyens alloués à cette action ont été utilisés")
    )
    return (
        f"{sujet} en renfort de l'action {vers}{hauteur}.",
        f"Cette action a été renforcée par les moyens alloués à l'action {depuis}{hauteur}.",
    )


def _make(depuis: str, vers: str, montant, origine: str, **extra) -> Redeploiement:
    texte_depuis, texte_vers = _texts(montant, vers, depuis, partiel=origine == "decision")
    return Redeploiement(
        depuis_fiche=depuis,
        vers_fiche=vers,
        montant=montant,
        origine=origine,
        texte_depuis=texte_depuis,
        texte_vers=texte_vers,
        **extra,
    )


def _from_decision(decision: Decision, fiches_by_pk, numeros, annee) -> Redeploiement | None:
    fiche = fiches_by_pk.get(decision.point.fiche_id)
    c = decision.changement or {}
    if fiche is None:
        return None
    if c.get("action") == "transferer" and decision.est_appliquee:
        if int(c.get("annee") or _annee(decision)) != annee:
            return None
        vers = numeros.get(_int(c.get("vers_fiche")))
        if vers is None:
            return None
        return _make(
            fiche.numero_affiche,
            vers,
            Decimal(str(c["montant"])),
            "transfert",
            financeur=c.get("financeur") or Financement.Financeur.ETAT,
            decision_id=decision.pk,
        )
    if c.get("action") or decision.categorie != Decision.Categorie.MOYENS:
        return None
    match = RENFORT.search(decision.texte)
    vers = numeros.get(_int(match.group(1))) if match else None
    if vers is None or vers == fiche.numero_affiche or _annee(decision) != annee:
        return None
    return _make(fiche.numero_affiche, vers, None, "decision", decision_id=decision.pk)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def redeploiements(fiches, decisions: list[Decision], annee: int) -> list[Redeploiement]:
    """Les moyens déplacés entre fiches dans l'année du rapport."""
    fiches_by_pk = {f.pk: f for f in fiches}
    numeros = {f.numero: f.numero_affiche for f in fiches}
    found = [
        r for d in decisions if (r := _from_decision(d, fiches_by_pk, numeros, annee)) is not None
    ]
    abandon_years = {
        d.point.fiche_id: _annee(d)
        for d in decisions
        if (d.changement or {}).get("action") == "abandonner" and d.est_appliquee
    }
    for fiche in fiches:
        beneficiaire = fiche.fiche_beneficiaire
        if fiche.etat != Etat.ABANDONNEE or beneficiaire is None:
            continue
        if abandon_years.get(fiche.pk, annee) != annee:
            continue
        found.append(_make(fiche.numero_affiche, beneficiaire.numero_affiche, None, "abandon"))
    return found


def par_fiche(found: list[Redeploiement]) -> dict[str, list[RedeploiementFiche]]:
    """Chaque redéploiement dans la section des deux fiches, chacune avec sa phrase."""
    sections = defaultdict(list)
    for r in found:
        for numero, texte in ((r.depuis_fiche, r.texte_depuis), (r.vers_fiche, r.texte_vers)):
            sections[numero].append(
                RedeploiementFiche(
                    depuis_fiche=r.depuis_fiche,
                    vers_fiche=r.vers_fiche,
                    montant=r.montant,
                    texte=texte,
                )
            )
    return sections


def financements_annee(fiche, annee: int) -> list[Financement]:
    """Les lignes de l'année du rapport, et celles sans année (toute la durée du contrat)."""
    return [f for f in fiche.financements.all() if f.annee in (None, annee)]


def _ligne(fiche, financeur: str, lines: list[Financement]) -> LigneAnnexe:
    prevu = transferts = valorisation = sans_annee = ZERO
    notes = []
    for f in lines:
        amount = f.montant or ZERO
        if f.valorisation:
            valorisation += amount
        elif TRANSFER_NOTE.search(f.note):
            transferts += amount
        else:
            prevu += amount
            if f.annee is None:
                sans_annee += amount
        if f.note and f.note not in notes:
            notes.append(f.note)
    return LigneAnnexe(
        fiche=fiche.numero_affiche,
        titre=fiche.titre,
        financeur=financeur,
        financeur_libelle=lines[0].financeur_libelle,
        prevu=prevu,
        transferts=transferts,
        total=prevu + transferts,
        valorisation=valorisation,
        dont_sans_annee=sans_annee,
        notes=notes,
    )


def _executes_poses(lignes: list[LigneAnnexe], executes: dict) -> None:
    """Le montant exécuté saisi pour une fiche et un financeur, sur sa ligne (la première
    de ce financeur quand « Autre » en a plusieurs : le montant n'est compté qu'une fois)."""
    vus = set()
    for ligne in lignes:
        cle = (ligne.fiche, ligne.financeur)
        if cle in executes and cle not in vus:
            ligne.execute = executes[cle]
            vus.add(cle)


def annexe_financiere(fiches, annee: int, executes: dict | None = None) -> AnnexeFinanciere:
    """`executes` : {(numéro de fiche tel qu'écrit, code du financeur) : montant exécuté}."""
    lignes = []
    for fiche in fiches:
        by_financeur: dict[tuple[str, str], list[Financement]] = defaultdict(list)
        for f in financements_annee(fiche, annee):
            by_financeur[(f.financeur, f.libelle if f.financeur == "autre" else "")].append(f)
        lignes.extend(_ligne(fiche, code, lines) for (code, _), lines in by_financeur.items())
    _executes_poses(lignes, executes or {})
    totaux: dict[str, TotalFinanceur] = {}
    for ligne in lignes:
        totaux.setdefault(
            ligne.financeur,
            TotalFinanceur(
                financeur=ligne.financeur,
                financeur_libelle=dict(Financement.Financeur.choices)[ligne.financeur],
                prevu=ZERO,
                transferts=ZERO,
                total=ZERO,
                valorisation=ZERO,
            ),
        ).ajouter(ligne)
    order = list(Financement.Financeur.values)
    return AnnexeFinanciere(
        lignes=lignes, totaux=sorted(totaux.values(), key=lambda t: order.index(t.financeur))
    )
