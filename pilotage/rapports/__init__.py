"""Rapport d'exécution annuel d'un contrat : contenu calculé depuis les données (fiches,
indicateurs, relevés, réunions, décisions, financements), rédaction, circuit de
validation par les trois institutions, versions arrêtées et exports.

Couche la plus haute des applications métier : elle lit référentiel, contrats, suivi et
réunions ; aucune ne l'importe."""
