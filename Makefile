# The two commands: `make demo` (run the portal on the embedded default) and `make test` (the whole suite).
# Both work on a fresh clone with nothing but Python 3.11 and make.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test lint format worker beat bench messages compilemessages migrate serve clean help

help:
	@echo "make demo      run the portal on http://$(HOST):$(PORT) (SQLite, tasks inline, demo data)"
	@echo "make test      run the whole test suite (ruff and import-linter included)"
	@echo "make lint      ruff check and format check, import-linter (dependencies one way)"
	@echo "make worker    a Celery worker (needs CELERY_BROKER_URL)"
	@echo "make beat      the Celery beat scheduler (needs CELERY_BROKER_URL)"
	@echo "make bench     the benchmarks in bench/"
	@echo "make messages  extract strings into locale/th and locale/ja (needs GNU gettext)"

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

compilemessages: $(STAMP)
	$(BIN)/python bin/compile_messages.py

migrate: $(STAMP) compilemessages
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: $(STAMP) compilemessages
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: $(STAMP) compilemessages
	$(BIN)/celery -A portal worker --loglevel=INFO --concurrency=2

beat: $(STAMP)
	$(BIN)/celery -A portal beat --loglevel=INFO --schedule=var/celerybeat-schedule

bench: $(STAMP) compilemessages
	$(BIN)/python bench/run.py

messages: $(STAMP)
	$(BIN)/python manage.py makemessages --locale th --locale ja --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --ignore "bench/*" --ignore "bin/*" --no-obsolete
	$(BIN)/python manage.py makemessages --domain djangojs --locale th --locale ja --ignore ".venv/*" --ignore "var/*" --ignore "tests/*" --ignore "bench/*" --ignore "bin/*" --no-obsolete

clean:
	rm -rf $(VENV) var db.sqlite3 locale/*/LC_MESSAGES/*.mo
