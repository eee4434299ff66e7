# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000
# Links in the demo logins and in emails point at the address served.
export SITE_URL ?= http://$(HOST)

.PHONY: run test setup lint bench messages

run: $(VENV)/.runtime node_modules/.installed
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver $(HOST)

test: $(VENV)/.dev node_modules/.installed
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run --settings=servicecraft.settings.test
	$(VENV)/bin/pytest $(PYTEST_ARGS)

setup: $(VENV)/.dev node_modules/.installed

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(VENV)/.runtime node_modules/.installed
	$(PY) manage.py bench --size small

# Refresh the Russian catalogue after changing user-visible strings (needs gettext).
messages: $(VENV)/.runtime
	$(PY) manage.py makemessages -l ru --no-obsolete --ignore=tests --ignore=docs --ignore=node_modules --ignore=.venv --ignore=staticfiles
	$(PY) manage.py compilemessages -l ru --ignore=node_modules --ignore=.venv
