# Pilotage partagé — commandes usuelles. Seuls Python 3 et make sont nécessaires.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests en parallèle (pytest-xdist), un module entier par processus : la démonstration
# chargée une fois par module l'est une fois par module et par processus.
XDIST ?= -n auto --dist loadfile
# Python garde le code compilé de chaque module importé (__pycache__, non versionné), même
# si l'environnement le lui interdit (PYTHONDONTWRITEBYTECODE, posé sur certaines machines) :
# sans cela, chaque processus (serveur, tâches, chaque processus de test) recompilerait
# Django et les bibliothèques depuis leur source, avec --no-compile ci-dessous.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install install-dev demo demo-reset run migrate test test-fast lint format e2e bench requirements clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# --no-compile : Python compile chaque module à sa première importation (et le garde dans
# __pycache__) au lieu que pip compile d'avance les milliers de fichiers des paquets, dont
# la plupart ne sont jamais importés : l'installation prend deux fois moins de temps.
$(VENV)/.installed: requirements/base.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --no-compile --require-hashes -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(BIN)/activate
	$(BIN)/pip install --quiet --no-compile --require-hashes -r requirements/dev.txt
	touch $(VENV)/.installed $@

# Sûr par défaut : sans DJANGO_ENV=development, l'application se règle pour la production.
# Sur un poste de développement, make l'écrit une fois dans .env (non versionné).
.env:
	printf 'DJANGO_ENV=development\n' > .env

install: $(VENV)/.installed .env  ## Crée .venv et installe les dépendances épinglées

install-dev: $(VENV)/.installed-dev .env

migrate: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

# Adresse à ouvrir dans le navigateur : celle où écoute le serveur (0.0.0.0 ou :: : toutes
# les interfaces, donc aussi 127.0.0.1).
OPEN_HOST = $(if $(filter 0.0.0.0 :: [::],$(HOST)),127.0.0.1,$(HOST))

# La démonstration tourne sans DEBUG : pages d'erreur du site (404, 500 au DSFR) et non
# pages techniques de Django ; les fichiers statiques restent servis (WhiteNoise, réglage
# WHITENOISE_USE_FINDERS en développement). make run garde DEBUG pour développer.
# Le travailleur des tâches de fond (courriels) tourne à côté du serveur, ses lignes
# préfixées « [tâches] », et s'arrête avec lui (Ctrl+C, ou le serveur qui s'arrête).
WORKER = $(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT; trap 'exit 130' INT TERM;

demo: migrate  ## Charge la démo Creuse et lance le serveur (et le travailleur)
	$(PY) manage.py charger_demo --adresse http://$(OPEN_HOST):$(PORT) --national 8
	$(WORKER) \
	DEBUG=0 $(PY) manage.py runserver $(HOST):$(PORT)

# Repart d'une démonstration neuve sans réinstaller .venv : efface la base SQLite locale
# et les fichiers déposés (media/), puis make demo. Refuse une autre base (DATABASE_URL).
demo-reset: install  ## Remet la démonstration à neuf (garde .venv)
	@if grep -Eqs '^DATABASE_URL=.+' .env || [ -n "$$DATABASE_URL" ]; then \
		echo "DATABASE_URL est réglé : make demo-reset n'efface que la base SQLite locale (db.sqlite3)." >&2; exit 1; fi
	rm -f db.sqlite3
	rm -rf media
	$(MAKE) demo HOST=$(HOST) PORT=$(PORT)

run: migrate
	$(WORKER) \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install-dev  ## Contrôles qualité
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=production SECRET_KEY=controle-deploiement-$$(date +%s)-cle-longue-et-aleatoire-0123456789 \
		ALLOWED_HOSTS=pilotage.example.gouv.fr $(PY) manage.py check --deploy --fail-level WARNING
	BIN=$(BIN) bash .ci/audit-dependances  # vulnérabilités connues ; ignoré sans réseau

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint  ## Contrôles qualité puis tests (hors navigateur), en parallèle
	$(BIN)/pytest -m "not e2e" $(XDIST)

e2e: install-dev  ## Tests de parcours dans Chromium (/usr/bin/chromium)
	$(BIN)/pytest -m e2e

# Chaque banc imprime son tableau. bench/charge.py (une quinzaine de minutes) : jeu
# national fictif, gunicorn et 50 utilisateurs locust par page, rapports au plancher ;
# sur PostgreSQL avec DATABASE_URL (base jetable), sur une SQLite temporaire sinon.
bench: install-dev
	@for f in bench/*.py; do $(PY) $$f; done

requirements:  ## Recompile les dépendances épinglées (nécessite uv)
	uv pip compile pyproject.toml --extra dev --generate-hashes -o requirements/dev.txt
	# La base reprend les versions de dev : installer l'une puis l'autre ne change rien.
	uv pip compile pyproject.toml --generate-hashes -c requirements/dev.txt -o requirements/base.txt

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
