"""Jetons « à la ProConnect » : claims ProConnect, userinfo signé, modes de test."""

import json
import time

from django.conf import settings
from jwcrypto import jwk, jwt
from oauth2_provider.oauth2_validators import OAuth2Validator

#: Réglage courant (un seul processus) : voir `views.reglage`.
REGLAGE = {"mode": "normal"}
MODES = {"normal", "jeton_expire", "mauvaise_signature", "userinfo_json"}


def _sign(claims: dict, client) -> str:
    """JWT RS256 avec le `kid` de la clé publiée ; signé par une autre clé en mode
    « mauvaise_signature »."""
    key = client.jwk_key
    header = {"typ": "JWT", "alg": "RS256", "kid": key.thumbprint()}
    if REGLAGE["mode"] == "mauvaise_signature":
        key = jwk.JWK.from_pem(settings.ROGUE_PRIVATE_KEY.encode())
    token = jwt.JWT(header=json.dumps(header), claims=json.dumps(claims, default=str))
    token.make_signed_token(key)
    return token.serialize()


class ProConnectLikeValidator(OAuth2Validator):
    oidc_claim_scope = None  # toutes les données, quelles que soient les scopes

    def get_additional_claims(self, request):
        user = request.user
        return {
            "sub": user.username,
            "email": user.email,
            "given_name": user.first_name,
            "usual_name": user.last_name,
            "uid": str(user.pk),
            "siret": "13002526500013",
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration = super().get_id_token_dictionary(token, token_handler, request)
        if REGLAGE["mode"] == "jeton_expire":
            claims["exp"] = int(time.time()) - 3600
        return claims, expiration

    def finalize_id_token(self, id_token, token, token_handler, request):
        serialized = super().finalize_id_token(id_token, token, token_handler, request)
        if REGLAGE["mode"] != "mauvaise_signature":
            return serialized
        claims = json.loads(jwt.JWT(jwt=serialized, key=request.client.jwk_key).claims)
        return _sign(claims, request.client)

    def get_userinfo_claims(self, request):
        claims = super().get_userinfo_claims(request)
        if REGLAGE["mode"] == "userinfo_json":
            return claims
        now = int(time.time())
        claims.update(iss=settings.ISSUER, aud=request.client.client_id, iat=now, exp=now + 60)
        return _sign(claims, request.client)
