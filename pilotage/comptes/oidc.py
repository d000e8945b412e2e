"""Connexion avec ProConnect (OpenID Connect), sur mozilla-django-oidc.

Parcours « code d'autorisation » avec PKCE, `state` et `nonce` (gardés dans la session par
la bibliothèque). Le jeton d'identité (`id_token`) et la réponse `userinfo` (un JWT signé
chez ProConnect, `application/jwt` ; du JSON simple est aussi accepté) sont vérifiés avec
les clés publiées par le fournisseur (JWKS) : algorithme attendu, signature, émetteur,
destinataire, expiration.

La personne est retrouvée par son identifiant ProConnect (`sub`), sinon par son adresse
(compte actif, sans tenir compte des majuscules), sinon par une application qui la fait
entrer (`comptes.arrivals` : une invitation en attente). Personne d'autre n'entre : aucun
compte n'est créé sans invitation. Chaque refus est inscrit au journal de sécurité et
levé en `ProConnectRefus`, que la vue de retour traduit en page ou en message.
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core import signing
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from django.urls import reverse
from django.utils.crypto import get_random_string
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from pilotage.core.security_log import security_event

from . import arrivals, services

#: Clé de session où mozilla-django-oidc garde le jeton d'identité (OIDC_STORE_ID_TOKEN).
ID_TOKEN_SESSION_KEY = "oidc_id_token"
#: Adresse donnée par ProConnect à une personne sans invitation (page d'explication).
REFUSED_EMAIL_SESSION_KEY = "proconnect_adresse_refusee"
#: Sel du `state` de la déconnexion chez ProConnect (signé, valable 10 minutes).
LOGOUT_STATE_SALT = "pilotage.comptes.proconnect.deconnexion"
LOGOUT_STATE_MAX_AGE = 600
#: Longueur maximale d'un identifiant `sub` (champ `User.proconnect_sub`).
SUB_MAX = 255
#: Écart d'horloge toléré avec le fournisseur, en secondes.
CLOCK_LEEWAY = 30

MESSAGES = {
    "sans_invitation": "Vous n'avez pas encore accès à Pilotage partagé.",
    "compte_desactive": (
        "Votre compte Pilotage partagé est désactivé : adressez-vous à un pilote de votre "
        "contrat pour le rouvrir."
    ),
    "reponse_invalide": (
        "La connexion avec ProConnect n'a pas pu être vérifiée. Réessayez ; si le problème "
        "continue, connectez-vous avec votre adresse et votre mot de passe."
    ),
    "fournisseur_injoignable": (
        "ProConnect ne répond pas pour le moment. Réessayez dans quelques minutes, ou "
        "connectez-vous avec votre adresse et votre mot de passe."
    ),
    "etat_invalide": (
        "Cette connexion avec ProConnect a expiré ou a été commencée dans un autre onglet. "
        "Cliquez de nouveau sur « S'identifier avec ProConnect »."
    ),
    "interrompue": "La connexion avec ProConnect a été interrompue. Vous pouvez recommencer.",
}


class ProConnectRefus(Exception):
    """Connexion refusée : `motif` (clé de `MESSAGES`, inscrite au journal), `email` donné
    par ProConnect s'il est connu, `detail` pour le journal seulement."""

    def __init__(self, motif: str, *, email: str = "", detail: str = ""):
        super().__init__(motif)
        self.motif = motif
        self.email = email
        self.detail = detail

    @property
    def message(self) -> str:
        return MESSAGES[self.motif]


def refus_log(request, refus: ProConnectRefus) -> None:
    """Inscrit le refus au journal de sécurité (jamais de jeton)."""
    security_event(
        "proconnect_refus",
        request=request,
        level=logging.WARNING,
        motif=refus.motif,
        email=refus.email,
        detail=refus.detail,
    )


def _email_from(claims: dict) -> str:
    email = claims.get("email")
    if not isinstance(email, str) or len(email) > 254:
        raise ProConnectRefus("reponse_invalide", detail="adresse absente ou trop longue")
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ProConnectRefus("reponse_invalide", detail="adresse invalide") from None
    return email


#: Erreurs d'un échange avec le fournisseur qui ne doivent jamais donner une erreur 500 :
#: fournisseur injoignable, réponse illisible, jeton faux, expiré ou pour un autre client.
UNVERIFIABLE = (
    requests.RequestException,
    SuspiciousOperation,
    jwt.PyJWTError,
    ValueError,
    KeyError,
    TypeError,
)


def _refus_from(exc: Exception) -> ProConnectRefus:
    response = getattr(exc, "response", None)
    down = isinstance(exc, requests.ConnectionError | requests.Timeout) or (
        response is not None and response.status_code >= 500
    )
    if down:
        return ProConnectRefus("fournisseur_injoignable", detail=type(exc).__name__)
    return ProConnectRefus("reponse_invalide", detail=f"{type(exc).__name__}: {exc}")


class ProConnectBackend(OIDCAuthenticationBackend):
    """Authentifie une personne revenue de ProConnect, sans jamais créer de compte
    elle-même (seules les invitations, par `comptes.arrivals`, en créent)."""

    def authenticate(self, request, **kwargs):
        try:
            return super().authenticate(request, **kwargs)
        except UNVERIFIABLE as exc:
            raise _refus_from(exc) from exc

    # --- vérification des jetons --------------------------------------------------

    def _verify_jws(self, payload, key):
        """Jeton d'identité : algorithme attendu, signature, émetteur, destinataire (notre
        client), expiration ; la bibliothèque ne vérifie ni l'émetteur ni le destinataire."""
        self._check_alg(payload)
        return jwt.decode(
            payload,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            audience=self.OIDC_RP_CLIENT_ID,
            issuer=settings.PROCONNECT_ISSUER,
            leeway=CLOCK_LEEWAY,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )

    def _check_alg(self, token: str) -> None:
        alg = jwt.get_unverified_header(token).get("alg")
        if alg != self.OIDC_RP_SIGN_ALGO:
            raise SuspiciousOperation(f"algorithme inattendu : {alg!r}")

    def _verify_userinfo_jwt(self, token: str) -> dict:
        """Réponse `userinfo` signée : même clé et même algorithme que le jeton
        d'identité ; émetteur et destinataire vérifiés s'ils y figurent."""
        self._check_alg(token)
        key = self.OIDC_RP_IDP_SIGN_KEY or self.retrieve_matching_jwk(token)
        claims = jwt.decode(
            token,
            key,
            algorithms=[self.OIDC_RP_SIGN_ALGO],
            leeway=CLOCK_LEEWAY,
            options={"verify_aud": False, "verify_iss": False, "require": ["sub"]},
        )
        if "iss" in claims and claims["iss"] != settings.PROCONNECT_ISSUER:
            raise SuspiciousOperation("émetteur inattendu dans userinfo")
        audience = claims.get("aud", self.OIDC_RP_CLIENT_ID)
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("destinataire inattendu dans userinfo")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        response = requests.get(
            self.OIDC_OP_USER_ENDPOINT,
            headers={"Authorization": f"Bearer {access_token}"},
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            timeout=self.get_settings("OIDC_TIMEOUT", None),
            proxies=self.get_settings("OIDC_PROXY", None),
        )
        response.raise_for_status()
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type == "application/jwt":
            claims = self._verify_userinfo_jwt(response.text.strip())
        else:
            claims = response.json()
        if not isinstance(claims, dict):
            raise SuspiciousOperation("userinfo n'est pas un objet")
        # OpenID Connect Core 5.3.2 : le `sub` de userinfo est celui du jeton d'identité.
        if claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("sub de userinfo différent de celui du jeton")
        return claims

    # --- la personne ----------------------------------------------------------------

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            claims = self.get_userinfo(access_token, id_token, payload)
        except UNVERIFIABLE as exc:
            # La bibliothèque avalerait une SuspiciousOperation sans la journaliser.
            raise _refus_from(exc) from exc
        sub = claims.get("sub")
        if not isinstance(sub, str) or not sub or len(sub) > SUB_MAX:
            raise ProConnectRefus("reponse_invalide", detail="sub absent ou trop long")
        email = _email_from(claims)
        user = self._find_user(sub, email)
        if user is None:
            user = arrivals.claim(email=email, claims=claims)
        if user is None:
            raise ProConnectRefus("sans_invitation", email=email)
        if not user.is_active:
            raise ProConnectRefus("compte_desactive", email=email)
        return services.user_proconnect_link(user=user, sub=sub, claims=claims)

    def _find_user(self, sub: str, email: str):
        """Le compte relié à ce `sub`, sinon le compte de cette adresse ; un compte
        désactivé est rendu tel quel (il sera refusé)."""
        user = self.UserModel.objects.filter(proconnect_sub=sub).first()
        if user is not None:
            return user
        users = list(self.UserModel.objects.filter(email__iexact=email).order_by("pk")[:2])
        if len(users) > 1:
            raise ProConnectRefus("reponse_invalide", email=email, detail="plusieurs comptes")
        return users[0] if users else None

    def filter_users_by_claims(self, claims):
        """Non utilisée (voir `get_or_create_user`) : aucune recherche par adresse seule."""
        return self.UserModel.objects.none()

    def create_user(self, claims):
        raise ProConnectRefus("sans_invitation", email=str(claims.get("email", ""))[:254])


# --- déconnexion chez ProConnect ----------------------------------------------------


def provider_logout_url(request) -> str:
    """Adresse de déconnexion chez ProConnect (`end_session_endpoint`) pour une session
    ouverte avec ProConnect, avec `id_token_hint`, un `state` signé et l'adresse de retour ;
    vide pour une session locale. À lire avant de vider la session
    (réglage `OIDC_OP_LOGOUT_URL_METHOD`)."""
    id_token = request.session.get(ID_TOKEN_SESSION_KEY)
    if not settings.PROCONNECT_ENABLED or not isinstance(id_token, str) or not id_token:
        return ""
    params = {
        "id_token_hint": id_token,
        "state": signing.dumps(get_random_string(32), salt=LOGOUT_STATE_SALT),
        "post_logout_redirect_uri": request.build_absolute_uri(
            reverse("comptes:proconnect_deconnexion")
        ),
    }
    return f"{settings.PROCONNECT_END_SESSION_ENDPOINT}?{urlencode(params)}"


def logout_state_valid(state: str) -> bool:
    """Vrai si `state` est celui d'une déconnexion demandée ici il y a moins de 10 minutes."""
    try:
        signing.loads(state[:500], salt=LOGOUT_STATE_SALT, max_age=LOGOUT_STATE_MAX_AGE)
    except signing.BadSignature:
        return False
    return True
