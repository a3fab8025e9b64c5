# Two commands matter: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app giveaway
PORT ?= 5000
STAMP := $(VENV)/.installed-stamp
MO_FILES := $(patsubst %.po,%.mo,$(wildcard giveaway/translations/*/LC_MESSAGES/messages.po))

.PHONY: run test install translations extract-messages migrate-db clean chromium guide-screenshots guide-copy

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(STAMP) translations

%.mo: %.po $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -i $< -o $@

translations: $(MO_FILES)

migrate-db: install
	$(FLASK) db upgrade

## Serve the app on http://127.0.0.1:$(PORT) with demo data when the database is empty,
## and the background worker (harvests) beside it; Ctrl-C stops both.
## The dev server speaks plain HTTP on loopback, so cookies drop the Secure flag here only.
run: export GIVEAWAY_PUBLIC_URL ?= http://127.0.0.1:$(PORT)
run: migrate-db
	@$(FLASK) demo
	@$(FLASK) worker & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	GIVEAWAY_SESSION_COOKIE_SECURE=false GIVEAWAY_REMEMBER_COOKIE_SECURE=false \
		$(FLASK) run --host 127.0.0.1 --port $(PORT)

## Run the test suite (SQLite; set GIVEAWAY_TEST_DATABASE_URI for PostgreSQL).
## The in-browser verifier is tested in Debian's Chromium (installed here when missing and root).
test: install chromium
	$(BIN)/pytest $(PYTEST_ARGS)

CHROMIUM ?= /usr/bin/chromium
chromium:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }; } || \
		{ echo "The browser tests need Chromium at $(CHROMIUM) (Debian: apt-get install chromium)"; exit 1; }

## The guide's screenshots (docs/guide/*.png) taken by the staff journey test, then the guide
## copied into the package (the app's « Aide » page shows that copy).
guide-screenshots: install chromium
	rm -f docs/guide/*.png
	GIVEAWAY_GUIDE_SCREENSHOTS=docs/guide $(BIN)/pytest -q -p no:cacheprovider tests/browser/test_staff_journey.py
	$(MAKE) guide-copy

guide-copy:
	cp docs/guide-fr.md giveaway/main/guide-fr.md
	mkdir -p giveaway/static/guide && rm -f giveaway/static/guide/*.png
	cp docs/guide/*.png giveaway/static/guide/

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ -o giveaway/translations/messages.pot .
	$(BIN)/pybabel update -i giveaway/translations/messages.pot -d giveaway/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) build *.egg-info giveaway/translations/*/LC_MESSAGES/*.mo
