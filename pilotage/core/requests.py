"""Lecture sûre des identifiants envoyés dans un formulaire (`indicateur`, `participation`
d'un POST) : une valeur qui n'est pas un identifiant donne une réponse 400 en français,
jamais une erreur 500 de la base."""

import re

from django.http import HttpResponse
from django.shortcuts import render

#: Un identifiant : entier positif en chiffres ASCII, au plus 18 chiffres (tient dans un
#: entier 64 bits de la base). Motif sans répétition imbriquée : linéaire.
_PK = re.compile(r"[1-9][0-9]{0,17}", re.ASCII)


def posted_pk(data, name: str) -> int | None:
    """L'identifiant `name` de `data` (request.POST, request.GET), ou None s'il manque ou
    n'en est pas un (« abc », « 1e3 », vide, négatif, trop grand)."""
    value = data.get(name)
    if not isinstance(value, str) or not _PK.fullmatch(value):
        return None
    return int(value)


def malformed_pk_response(request, label: str) -> HttpResponse:
    """Réponse 400 quand `label` (« l'indicateur », « le participant ») envoyé n'est pas
    un identifiant : texte seul pour HTMX, page d'erreur sinon."""
    message = (
        f"Élément introuvable : {label} envoyé n'est pas reconnu, rien n'a été enregistré. "
        "Rechargez la page et recommencez."
    )
    if getattr(request, "htmx", False):
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return render(request, "400.html", {"message": message}, status=400)
