"""Fiche d'un point de l'ordre du jour, vue de la même façon par le dossier et le compte
rendu."""


class FicheDuPoint:
    """Numéro, titre, report et ancre de la fiche d'un point de l'ordre du jour (la classe
    fille porte `point`)."""

    @property
    def numero(self) -> int:
        return self.point.fiche.numero

    @property
    def numero_affiche(self) -> str:
        return self.point.fiche.numero_affiche

    @property
    def titre(self) -> str:
        return self.point.fiche.titre

    @property
    def reporte(self) -> bool:
        return self.point.reporte

    @property
    def ancre(self) -> str:
        return f"fiche-{self.numero}"
