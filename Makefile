# mixtui: `make run` opens the app, `make test` runs the whole suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench screenshots setup system-deps clean

run: setup
	$(BIN)/mixtui

test: setup
	$(BIN)/ruff check mixtui tests bench scripts
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n 2

lint: setup
	$(BIN)/ruff check mixtui tests bench scripts
	$(BIN)/ruff format --check mixtui tests bench scripts
	$(BIN)/mypy

bench: setup
	@for script in bench/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

screenshots: setup
	$(BIN)/python scripts/screenshots.py

setup: $(STAMP) system-deps

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

# mpv/libmpv play the audio, tmux runs the smoke test; install them with apt-get when missing and possible.
# dbus-daemon and playerctl drive the media keys (MPRIS) tests.
system-deps:
	@$(BIN)/python -c "import ctypes.util, sys; sys.exit(0 if ctypes.util.find_library('mpv') else 1)" 2>/dev/null \
	|| { if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	       echo "installing mpv and libmpv2 with apt-get"; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mpv libmpv2 >/dev/null; \
	     elif command -v apt-get >/dev/null 2>&1; then \
	       echo "mpv/libmpv missing: run  sudo apt-get install mpv libmpv2  (browsing works without it)"; \
	     else \
	       echo "mpv/libmpv missing: install mpv (macOS: brew install mpv; Windows: put libmpv-2.dll on PATH)"; \
	     fi; }
	@command -v tmux >/dev/null 2>&1 \
	|| { if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	       echo "installing tmux with apt-get (the real-terminal smoke test runs the app in it)"; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null; \
	     else \
	       echo "tmux missing: install it (sudo apt-get install tmux; brew install tmux) for the smoke test"; \
	     fi; }
	@{ command -v dbus-daemon >/dev/null 2>&1 && command -v playerctl >/dev/null 2>&1; } \
	|| { if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	       echo "installing dbus and playerctl with apt-get (the media keys tests drive mixtui over D-Bus)"; \
	       apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dbus playerctl >/dev/null; \
	     else \
	       echo "dbus-daemon/playerctl missing: install them (sudo apt-get install dbus playerctl) for the media keys tests"; \
	     fi; }

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
