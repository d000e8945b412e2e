"""Pages de la double authentification : donner un code, activer l'application, codes
de secours (montrés une fois, à télécharger), régénérer, désactiver.

La vérification d'une session est celle de django-otp (`django_otp.login`) : le
middleware `SecondFactorMiddleware` renvoie ici tant qu'elle manque.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import user_has_device

from pilotage.core.security_log import security_event

from . import otp_selectors, otp_services
from . import second_factor as obligation
from .middleware import (
    SESSION_NOT_EXPECTED,
    is_proconnect_session,
    second_factor_url,
    url_with_next,
)
from .otp_forms import EnrolmentForm, RecoveryCodesNotedForm, SecondFactorForm

#: Clés de session : clé secrète d'une activation en cours ; codes de secours à montrer.
SESSION_ENROL_KEY = "_totp_activation_cle"
SESSION_RECOVERY_CODES = "_codes_de_secours"
NEXT_MAX_LENGTH = 2000
#: Codes de secours restants à partir desquels on conseille d'en régénérer.
FEW_CODES_LEFT = 3


def safe_next(request) -> str:
    """L'adresse `next` si elle reste sur ce site, sinon « Mes contrats »."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if len(url) <= NEXT_MAX_LENGTH and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name: str, request) -> str:
    """L'adresse de la page `url_name`, qui garde le `next` reçu (vérifié à l'arrivée)."""
    next_url = request.POST.get("next") or request.GET.get("next")
    return url_with_next(
        url_name, next_url if next_url and len(next_url) <= NEXT_MAX_LENGTH else None
    )


def _session_verified(request, device) -> None:
    """La session passe au niveau « vérifiée » : nouvel identifiant de session (une
    session dérobée avant le code ne profite pas du code), appareil retenu par django-otp."""
    request.session.cycle_key()
    request.session.pop(SESSION_NOT_EXPECTED, None)
    otp_login(request, device)


@require_http_methods(["GET", "POST"])
def second_factor(request):
    """Étape du code, après le mot de passe."""
    if is_proconnect_session(request) or request.user.is_verified():
        return redirect(safe_next(request))
    if not user_has_device(request.user, confirmed=True):
        return redirect(_with_next("comptes:second_factor_enrol", request))
    form = SecondFactorForm(request.POST or None)
    status = 200
    if form.is_valid():
        try:
            result = otp_services.second_factor_verify(
                user=request.user, token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
            status = 429 if error.code == "throttled" else 400
            security_event("second_facteur_echec", request=request, motif=error.code)
        else:
            _session_verified(request, result.device)
            if result.recovery_codes_left is not None:
                _recovery_code_used_message(request, result.recovery_codes_left)
            return redirect(safe_next(request))
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "comptes/second_facteur.html",
        {"title": "Double authentification", "form": form, "next": safe_next(request)},
        status=status,
    )


def _recovery_code_used_message(request, left: int) -> None:
    text = (
        f"Code de secours accepté. Il vous en reste {left} sur {otp_services.RECOVERY_CODES_COUNT}."
    )
    if left <= FEW_CODES_LEFT:
        text += " Régénérez-en depuis « Mon compte » avant d'en manquer."
    messages.warning(request, text)


@require_http_methods(["GET", "POST"])
def second_factor_enrol(request):
    """Activer l'application d'authentification (ou la remplacer, session vérifiée)."""
    if is_proconnect_session(request):
        return redirect("comptes:mon_compte")
    if user_has_device(request.user, confirmed=True) and not request.user.is_verified():
        return redirect(_with_next("comptes:second_factor", request))
    key = request.session.get(SESSION_ENROL_KEY)
    if not key:
        key = request.session[SESSION_ENROL_KEY] = otp_services.totp_key_new()
    form = EnrolmentForm(request.POST or None)
    status = 400 if request.method == "POST" else 200
    if form.is_valid():
        try:
            device, codes = otp_services.totp_enrolment_confirm(
                user=request.user, key=key, token=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_error("code", error)
            security_event("second_facteur_echec", request=request, motif="activation")
        else:
            request.session.pop(SESSION_ENROL_KEY, None)
            _session_verified(request, device)
            request.session[SESSION_RECOVERY_CODES] = codes
            return redirect(_with_next("comptes:recovery_codes", request))
    replacing = otp_selectors.has_confirmed_totp(request.user)
    context = {
        "title": "Activer la double authentification",
        "form": form,
        "setup": otp_selectors.totp_setup(request.user, key),
        "replacing": replacing,
        "required_reasons": [] if replacing else obligation.enforced_reasons(request.user),
        "next": safe_next(request),
    }
    return render(request, "comptes/second_facteur_activer.html", context, status=status)


@require_http_methods(["GET", "POST"])
def recovery_codes(request):
    """Les codes de secours neufs, montrés jusqu'à « J'ai noté ces codes »."""
    codes = request.session.get(SESSION_RECOVERY_CODES)
    if not codes:
        if otp_selectors.has_confirmed_totp(request.user):
            text = (
                "Les codes de secours ne sont montrés qu'une fois. Si vous les avez perdus, "
                "régénérez-en : les anciens ne vaudront plus."
            )
        else:
            text = (
                "Activez d'abord la double authentification : vos codes de secours vous "
                "seront donnés à l'activation."
            )
        messages.info(request, text)
        return redirect("comptes:mon_compte")
    form = RecoveryCodesNotedForm(request.POST or None)
    if form.is_valid():
        del request.session[SESSION_RECOVERY_CODES]
        messages.success(request, "La double authentification est active sur votre compte.")
        return redirect(safe_next(request))
    return render(
        request,
        "comptes/codes_de_secours.html",
        {
            "title": "Vos codes de secours",
            "codes": codes,
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def recovery_codes_download(request):
    codes = request.session.get(SESSION_RECOVERY_CODES)
    if not codes:
        raise Http404("Les codes de secours ne sont plus affichables.")
    lines = [
        "Pilotage partagé – codes de secours de la double authentification",
        f"Compte : {request.user.get_username()}",
        "",
        "Chaque code ne sert qu'une fois, à la place du code de votre application",
        "(téléphone perdu ou indisponible). Gardez ce fichier en lieu sûr.",
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="codes-de-secours-pilotage.txt"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def recovery_codes_regenerate(request):
    if not request.user.is_verified():
        return redirect(second_factor_url(reverse("comptes:mon_compte")))
    try:
        codes = otp_services.recovery_codes_regenerate(user=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("comptes:mon_compte")
    request.session[SESSION_RECOVERY_CODES] = codes
    return redirect(url_with_next("comptes:recovery_codes", reverse("comptes:mon_compte")))


@require_http_methods(["GET", "POST"])
def second_factor_disable(request):
    if not otp_services.second_factor_may_disable(request.user):
        messages.error(
            request, "La double authentification est obligatoire pour votre rôle sur ce site."
        )
        return redirect("comptes:mon_compte")
    if not request.user.is_verified():
        return redirect(second_factor_url(reverse("comptes:second_factor_disable")))
    if request.method == "POST":
        otp_services.second_factor_disable(user=request.user)
        messages.success(request, "La double authentification est désactivée sur votre compte.")
        return redirect("comptes:mon_compte")
    return render(
        request,
        "comptes/second_facteur_desactiver.html",
        {"title": "Désactiver la double authentification"},
    )
