# zhiqian — the two set-up commands are `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat requirements.txt | sha1sum | cut -c1-12)
HOST   ?= 127.0.0.1:8000

.PHONY: demo test check venv worker beat lint browser bench

venv: $(STAMP)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

# Embedded default: SQLite file under var/, eager Celery, console notifications.
demo: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Staff UI: http://$(HOST)/  (log in with one of the demo logins above)"
	$(BIN)/python manage.py runserver $(HOST)

# The browser test drives Debian's chromium (no browser download); fonts-noto-cjk renders Chinese.
browser:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing chromium and fonts-noto-cjk (Debian packages) for the browser test"; \
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	else echo "warning: chromium or fonts-noto-cjk missing and not root: the browser test will be skipped"; fi

# The whole suite, in TEST_WORKERS processes (pytest-xdist; CI has 2 cores; TEST_WORKERS=0 runs it in this one).
# DATABASE_URL=postgres://... runs it on PostgreSQL (each worker its own test database, test_<name>_gw<N>).
TEST_WORKERS ?= 2
test: $(STAMP) browser check
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The shape of the code: no migration missing, ruff, the layers (import-linter: .importlinter), types (mypy.ini).
check: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy cases/ projects/ earlywarning/ indicators/ deposits/ inspections/ arbitration/ campaigns/ reviews/ jointmeeting/ assessment/

# The benchmark suite (bench/, docs/performance.md): the Python packages come with the venv; P7 drives
# Debian's wrk (installed here when root; without it P7 shows in the table as "cannot run").
bench: $(STAMP)
	@if command -v wrk >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing wrk (Debian package) for the suite's P7"; \
		apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	else echo "warning: wrk missing and not root: P7 will show in the table as cannot run"; fi
	@echo "The suite (PostgreSQL; see docs/performance.md):"
	@echo "  createdb -h 127.0.0.1 -U postgres zhiqian_bench"
	@echo "  export DATABASE_URL=postgres://postgres@127.0.0.1:5432/zhiqian_bench"
	@echo "  $(BIN)/python -m bench.generate --cases 1000000 --reset && $(BIN)/python -m bench.generate --tasks"
	@echo "  $(BIN)/python -m bench.intake --broker redis://127.0.0.1:6379/14 --repeat 2"
	@echo "  $(BIN)/python -m bench.run --db $$DATABASE_URL --skip-generate"
	@echo "A small smoke run: --cases 2000, --tasks --open-deadlines 20000, bench.run --runs 3 --no-vanilla."

lint: $(STAMP)
	$(BIN)/ruff check .

# Production processes (need CELERY_BROKER_URL and DATABASE_URL).
worker: $(STAMP)
	$(BIN)/celery -A config worker --loglevel=INFO

beat: $(STAMP)
	$(BIN)/celery -A config beat --loglevel=INFO
