"""Corpus d'import de l'issue 14 : variantes de mise en page générées depuis `donnees`.

`donnees` décrit les fiches attendues et les libellés, `generer` les écrit dans chaque
variante (`generer.VARIANTES`), `ecrire` produit le .docx et le .odt d'un même document
neutre, `score` compare l'import à l'attendu ; le test est `test_corpus_score.py`.
Pour regarder les fichiers : `.venv/bin/python -m tests.documents.corpus.generer /tmp/corpus`.
"""
