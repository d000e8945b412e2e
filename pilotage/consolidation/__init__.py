"""Vues consolidées : tableau régional (DREETS, ARS siège) et tableau national (DGCS)
de tous les contrats, avec leurs comptes (fiches par état, en retard, à impact,
réunions, décisions ouvertes, rapport annuel) et leurs exports XLSX / ODS.

Couche au-dessus des applications métier : elle lit territoires, contrats, suivi,
réunions et rapports ; aucune ne l'importe (les liens de l'accueil passent par
`{% url %}`)."""
