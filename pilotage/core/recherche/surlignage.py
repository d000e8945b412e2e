"""Le passage trouvé, échappé puis marqué de <mark> : aucun HTML de l'index n'est rendu."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .racines import MOT, racine

DEBUT, FIN = "\x02", "\x03"  # marques posées par SearchHeadline (absentes de l'index)
LONGUEUR = 260
AVANT = 80


def depuis_marques(texte: str) -> SafeString:
    """Passage rendu par PostgreSQL (SearchHeadline) avec les marques DEBUT / FIN."""
    return mark_safe(escape(texte).replace(DEBUT, "<mark>").replace(FIN, "</mark>"))


def passage(texte: str, cherchees: set[str]) -> SafeString:
    """Le passage autour du premier mot dont la racine est cherchée, mots trouvés marqués."""
    # Seuls les mots du passage sont réduits à leur racine (et le texte jusqu'au premier
    # trouvé) : un long texte ne coûte pas plus qu'un court.
    premier = next((m for m in MOT.finditer(texte) if racine(m.group()) in cherchees), None)
    debut = 0
    if premier and premier.start() > AVANT:
        debut = texte.rfind(" ", 0, premier.start() - AVANT) + 1
    fin = min(len(texte), debut + LONGUEUR)
    if fin < len(texte):
        espace = texte.rfind(" ", debut, fin)
        fin = espace if espace > debut else fin
    morceaux, curseur = [], debut
    for m in MOT.finditer(texte, debut) if premier else ():
        if m.start() >= fin:
            break
        if m.end() > fin or racine(m.group()) not in cherchees:
            continue
        morceaux += [escape(texte[curseur : m.start()]), f"<mark>{escape(m.group())}</mark>"]
        curseur = m.end()
    morceaux.append(escape(texte[curseur:fin]))
    prefixe = "… " if debut else ""
    suffixe = " …" if fin < len(texte) else ""
    return mark_safe(prefixe + "".join(morceaux) + suffixe)
