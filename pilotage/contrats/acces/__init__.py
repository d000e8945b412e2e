"""Personnes et droits d'un contrat, gérés dans l'application.

- `services` : changer le rôle d'une personne, lui retirer son accès (jamais au dernier
  pilote), ses fiches de référent, et l'inscription de chaque changement dans
  l'historique du contrat ;
- `invitations` : inviter une personne par courriel, renvoyer, révoquer, accepter (compte
  local ou ProConnect, `claim_invitation` inscrit dans `comptes.arrivals`) ;
- `perimetres` : le niveau national donne ou retire un périmètre régional ou national ;
- `selectors`, `forms`, `views` : lectures et pages.

Le modèle `Invitation` est dans `contrats.invitations`, la règle « qui peut gérer les
accès d'un contrat » dans `contrats.permissions.can_manage_acces`.
"""
