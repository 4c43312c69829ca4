# compass — the two commands of the README:
#   make demo   the main job on the embedded default data
#   make test   every test (TypeScript: kernels build check, typecheck, lint, vitest in workerd; Python: ruff lint and
#               format check, pytest)
# Both install what they need on a fresh machine (Node 20.19+ and Python 3.11 with venv are assumed present).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# torch is pinned to the CPU build that lies on this machine's disk; an open range would pull CUDA wheels.
TORCH := torch==2.13.0

.PHONY: demo test node-deps py-deps test-node test-py bench clean

node_modules/.installed: package.json package-lock.json
	# npm ci rejects this lockfile (npm 11 leaves other platforms' optional biome binaries out of it); npm install
	# installs the locked, exact-pinned versions all the same.
	npm install --no-audit --no-fund
	touch $@

node-deps: node_modules/.installed

$(VENV)/.installed: trainer/pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(TORCH)
	$(PY) -m pip install --quiet -e "trainer[dev]"
	touch $@

py-deps: $(VENV)/.installed

test-node: node-deps
	npm test

test-py: py-deps
	cd trainer && ../$(PY) -m ruff check . && ../$(PY) -m ruff format --check . && ../$(PY) -m pytest -q

test: test-node test-py

demo: node-deps py-deps
	bash scripts/demo.sh

bench: node-deps
	npm run bench

clean:
	rm -rf node_modules $(VENV) .wrangler kernels/build
