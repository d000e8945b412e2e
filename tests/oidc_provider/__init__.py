"""Fournisseur OpenID Connect local pour les tests de la connexion ProConnect.

Un petit projet Django à part (django-oauth-toolkit, OpenID Connect activé), lancé par les
tests dans un sous-processus sur la boucle locale (`fixture.oidc_provider`). Il imite les
adresses de ProConnect sous `/api/v2/` (authorize, token, userinfo, jwks, session/end) :
l'application se règle avec le seul `PROCONNECT_ISSUER`, comme en production.

- clé RSA (RS256) générée au démarrage, PKCE exigé, consentement sauté ;
- `userinfo` répond un JWT signé (`application/jwt`), comme ProConnect ;
- une personne de test (`agent` / `AGENT_PASSWORD`) et un client enregistré
  (`CLIENT_ID` / `CLIENT_SECRET`) dont l'adresse de retour est `/oidc/callback/` sur
  `testserver` (client de test de Django) ou la boucle locale (tout port) ;
- `POST /test/reglage/` (JSON) règle le comportement et la personne : `mode`
  (`normal`, `jeton_expire` : jeton d'identité déjà expiré, `mauvaise_signature` : jetons
  signés par une autre clé que celle publiée, `userinfo_json` : userinfo en JSON simple),
  `sub`, `email`, `given_name`, `usual_name`.

Lancement à la main : `python -m tests.oidc_provider.run --port 8765`.
"""

CLIENT_ID = "pilotage-partage-test"
CLIENT_SECRET = "secret-du-client-de-test"  # noqa: S105 (fournisseur de test)
AGENT_USERNAME = "agent"
AGENT_PASSWORD = "mot-de-passe-agent"  # noqa: S105 (fournisseur de test)
