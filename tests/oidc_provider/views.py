import json

from django.contrib.auth import get_user_model
from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_POST

from . import AGENT_USERNAME
from .validator import MODES, REGLAGE

USER_FIELDS = {
    "sub": "username",
    "email": "email",
    "given_name": "first_name",
    "usual_name": "last_name",
}


@require_POST
def reglage(request):
    """Règle le mode des jetons et la personne de test (corps JSON, voir le paquet)."""
    data = json.loads(request.body or "{}")
    mode = data.get("mode", "normal")
    if mode not in MODES:
        return HttpResponseBadRequest(f"mode inconnu : {mode}")
    REGLAGE["mode"] = mode
    if "agent_pk" not in REGLAGE:  # la personne de test, quel que soit son `sub` du moment
        REGLAGE["agent_pk"] = get_user_model().objects.get(username=AGENT_USERNAME).pk
    user = get_user_model().objects.get(pk=REGLAGE["agent_pk"])
    for key, field in USER_FIELDS.items():
        if key in data:
            setattr(user, field, data[key])
    user.save()
    return JsonResponse({"mode": mode, "sub": user.username, "email": user.email})
