# Nidaa — the two commands: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3.12 || command -v python3.13 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# `make demo PORT=8001` when 8000 is taken.
PORT ?= 8000

export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install demo test lint typecheck pytest audit bench bench-deps bench-quick bench-classify clean messages

$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Nidaa needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

demo: install
	@DEBUG=1 $(BIN)/python manage.py demo_serve --port $(PORT) --check
	DEBUG=1 $(BIN)/python manage.py migrate --no-input -v 0
	DEBUG=1 $(BIN)/python manage.py demo_setup
	DEBUG=1 $(BIN)/python manage.py classifier_train
	DEBUG=1 $(BIN)/python manage.py demo_serve --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	SECRET_KEY=typecheck $(BIN)/mypy nidaa helpdesk chat social bots demo manage.py

pytest: install
	SECRET_KEY=$${SECRET_KEY:-test-only-secret} $(BIN)/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

# Known vulnerabilities in the pinned requirements (pip-audit; says so plainly when its
# database cannot be reached, and then fails only with AUDIT_REQUIRED=1).
audit: install
	VENV=$(VENV) ./.ci/audit

# `make bench` measures Nidaa beside its baselines (bench/README.md); ARGS=--quick for a few seconds.
# nginx fronts the scaled-out target as docs/deployment.md runs it (Debian's package,
# installed when we may: as root with apt-get; otherwise the bench says it ran without).
bench-deps:
	@command -v nginx >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 \
	  && DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx-light >/dev/null; } || true

bench: install bench-deps
	$(BIN)/python -m bench $(ARGS)

bench-quick: install
	$(BIN)/python -m bench --quick $(ARGS)

# The category classifier's holdout figures and its time per text (bench/classify.py).
bench-classify: install
	$(BIN)/python -m bench.classify $(ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache test-artifacts

# Refresh the translation catalogues after changing user-visible strings (needs GNU gettext);
# the compiled .mo files are committed so a fresh machine needs no gettext.
messages: install
	DEBUG=1 $(BIN)/python manage.py makemessages -l ar -l en --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=test-artifacts
	DEBUG=1 $(BIN)/python manage.py compilemessages --ignore=.venv
