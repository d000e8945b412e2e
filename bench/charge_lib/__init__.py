"""Outils du banc de charge (bench/charge.py), dans un dossier à part : `make bench` lance
chaque fichier de bench/ comme un banc, pas ceux de ses sous-dossiers."""
