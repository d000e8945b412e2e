"""Mots changés d'un texte long (`core/text_diff.py`) : surlignés dans l'historique, l'écran
de conflit et l'aperçu d'import ; HTML échappé ; coût borné pour les textes démesurés."""

import random
import time

from lxml import html as lxml_html

from pilotage.contrats.services import fiche_update
from pilotage.core.text_diff import MAX_WORDS, word_diff
from tests.factories import ContratFactory, UserFactory, grant, make_fiche


def _marked(fragment: str, tag: str) -> list[str]:
    tree = lxml_html.fragment_fromstring(f"<div>{fragment}</div>")
    return [
        "".join(t for t in el.itertext() if not t.startswith(("[", "]"))).strip()
        for el in tree.iter(tag)
    ]


def test_only_the_changed_words_are_marked():
    old = "Les familles sont reçues au centre de Guéret chaque mardi."
    new = "Les familles sont reçues au centre d'Aubusson chaque jeudi."
    diff = word_diff(old, new)
    assert diff.highlighted
    assert _marked(diff.old, "del") == ["de Guéret", "mardi."]
    assert _marked(diff.new, "ins") == ["d'Aubusson", "jeudi."]
    assert "<ins>" not in diff.old and "<del>" not in diff.new
    # Sans les balises, chaque côté redonne son texte.
    assert (
        lxml_html.fragment_fromstring(f"<p>{diff.new}</p>")
        .text_content()
        .replace("[ajouté : ", "")
        .replace("]", "")
        == new
    )


def test_marked_words_are_announced_to_screen_readers():
    diff = word_diff("un deux trois", "un quatre trois")
    assert '<span class="fr-sr-only">[ajouté : </span>' in diff.new
    assert '<span class="fr-sr-only">[supprimé : </span>' in diff.old


def test_text_is_escaped_and_line_breaks_kept():
    diff = word_diff("<script>alert(1)</script>\nfin", "<script>alert(2)</script>\nfin")
    assert "<script>" not in diff.old + diff.new
    assert "&lt;script&gt;" in diff.new
    assert "<br>fin" in diff.new


def test_a_rewritten_or_one_sided_text_is_shown_whole():
    assert not word_diff("Tout autre chose ici", "Rien de commun là-bas").highlighted
    diff = word_diff("", "Nouveau texte")
    assert (diff.old, diff.new, diff.highlighted) == ("", "Nouveau texte", False)


def test_a_very_long_text_falls_back_to_whole_text_quickly():
    rng = random.Random(4)
    old = " ".join(rng.choice("ab") for _ in range(MAX_WORDS * 20))
    new = " ".join(rng.choice("ab") for _ in range(MAX_WORDS * 20))
    start = time.perf_counter()
    diff = word_diff(old, new)
    assert time.perf_counter() - start < 0.5
    assert not diff.highlighted


def test_the_longest_comparable_text_stays_fast():
    rng = random.Random(5)
    old = " ".join(rng.choice("ab") for _ in range(MAX_WORDS))
    new = " ".join(rng.choice("ab") for _ in range(MAX_WORDS))
    start = time.perf_counter()
    word_diff(old, new)
    assert time.perf_counter() - start < 2.0


def test_the_history_page_marks_the_changed_words(client, db):
    contrat = ContratFactory()
    user = UserFactory()
    grant(user, contrat)
    fiche = make_fiche(contrat, numero=1)
    fiche_update(
        fiche=fiche,
        user=None,
        expected_version=1,
        fields={"description": "Des ateliers collectifs sont proposés aux parents à Guéret."},
    )
    fiche_update(
        fiche=fiche,
        user=None,
        expected_version=2,
        fields={"description": "Des ateliers collectifs sont proposés aux parents à Aubusson."},
    )
    client.force_login(user)
    page = client.get(f"/contrats/{contrat.pk}/fiches/1/historique/").content.decode()
    tree = lxml_html.document_fromstring(page)
    [latest] = tree.xpath("(//div[contains(@class, 'revision')])[1]//tr[td]")
    assert _marked(lxml_html.tostring(latest.xpath("td[1]")[0], encoding="unicode"), "del") == [
        "Guéret."
    ]
    assert _marked(lxml_html.tostring(latest.xpath("td[2]")[0], encoding="unicode"), "ins") == [
        "Aubusson."
    ]
