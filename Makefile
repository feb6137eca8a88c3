# crm-course: two commands for a fresh machine with Python 3.11+ and make.
#   make lab    open the course in JupyterLab (chapter 00)
#   (make lab-zh opens the Chinese edition, with JupyterLab's interface in Chinese)
#   make test   run every test (lint, crmlib unit tests, notebook hygiene, strict nbval, the book in a browser)
# For contributors: make unit (the fast unit tests alone), make lint (ruff).
# For lecturers: make slides (offline HTML decks of every chapter in build/slides/).
# For readers: make book (the whole course as an offline website in build/book/html/).
# Both build .venv/ from requirements.lock on first use.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json

.PHONY: env lab lab-zh test unit unit-a unit-b unit-c lint nbval nbval-en nbval-zh execute exercises slides book book-test bench bench-rfm clean-env

env: $(STAMP) $(LAB_SETTINGS)

# JupyterLab's own defaults for the course: never fetch news or look for updates on the
# internet (no first-start question; many classrooms cannot reach those hosts).
$(LAB_SETTINGS): jupyter/overrides.json $(STAMP)
	mkdir -p $(dir $@)
	cp jupyter/overrides.json $@

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "crm-course needs Python 3.11 or newer"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Localhost only, token login on. Jupyter refuses root unless told (containers, CI).
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root)

# Chinese text in JupyterLab itself (Markdown cells, tables) on a computer with no Chinese font: the
# course font and jupyter/custom/custom.css in a Jupyter folder of the course's own (JUPYTER_CONFIG_DIR,
# in .venv/), served by JupyterLab's custom CSS. Without it such a browser draws Chinese as boxes.
LAB_CONFIG := $(VENV)/jupyter-config
LAB_CUSTOM := $(LAB_CONFIG)/custom/custom.css $(LAB_CONFIG)/custom/NotoSansSC-Course.otf
JUPYTER_LAB := JUPYTER_CONFIG_DIR="$(CURDIR)/$(LAB_CONFIG)" $(BIN)/jupyter lab --ip=127.0.0.1 \
	--LabApp.custom_css=True --ServerApp.root_dir="$(CURDIR)" $(ROOT_FLAG)

$(LAB_CONFIG)/custom/custom.css: jupyter/custom/custom.css
	mkdir -p $(dir $@)
	cp $< $@

$(LAB_CONFIG)/custom/NotoSansSC-Course.otf: crmlib/data/fonts/NotoSansSC-Course.otf
	mkdir -p $(dir $@)
	cp $< $@

lab: env $(LAB_CUSTOM)
	$(JUPYTER_LAB) --LabApp.default_url=/lab/tree/notebooks/00_course_guide.ipynb

# The course in Chinese: JupyterLab's interface in Chinese (its own settings folder in .venv/, so
# that make lab stays English) and the Chinese edition's first chapter.
ZH_SETTINGS := $(VENV)/lab-zh-settings
ZH_LOCALE := $(ZH_SETTINGS)/@jupyterlab/translation-extension/plugin.jupyterlab-settings
ZH_FIRST := $(firstword $(wildcard zh/notebooks/00_*.ipynb zh/notebooks/*.ipynb))

$(ZH_LOCALE): jupyter/zh-CN/plugin.jupyterlab-settings
	mkdir -p $(dir $@)
	cp $< $@

lab-zh: env $(ZH_LOCALE) $(LAB_CUSTOM)
	JUPYTERLAB_SETTINGS_DIR="$(CURDIR)/$(ZH_SETTINGS)" $(JUPYTER_LAB) --LabApp.default_url=/lab/tree/$(ZH_FIRST)

# The unit tests in three parts, strict nbval of each edition and the book in a browser run at once: on
# 2 cores that takes about half the time of running them one after the other, and parts of similar size
# end together instead of one long part running alone at the end. Each prints its report when it ends
# (GNU make 4's --output-sync; an older make interleaves the lines). Any failure fails make test.
test: lint
	@echo "unit tests (3 parts), strict nbval (2 editions) and the book in a browser run at once; each prints its report when it ends"
	$(MAKE) --no-print-directory -j6 $(if $(filter output-sync,$(.FEATURES)),--output-sync=target) unit-a unit-b unit-c nbval-en nbval-zh book-test

# ruff: lint everything (notebooks included), and check the format of the Python files.
lint: env
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

# Unit tests of crmlib, the tools and the notebooks' hygiene: no notebook is executed. Three parts of
# about the same time (unit-a: the files that run notebooks or rebuild data; unit-b: the input fuzzing
# and the models; unit-c: all the others), so that make test can run them at once; make unit runs all
# three. The files that compute the expected answers of every question (test_variants, test_exercises,
# test_languages) share unit-a: a process computes each answer once, and all of them take about 20 s of CPU.
UNIT_A := tests/test_grade.py tests/test_variants.py tests/test_synthetic.py tests/test_exercises.py \
	tests/test_languages.py tests/test_tooling.py tests/test_crmdb.py

UNIT_B := tests/test_bad_input.py tests/test_models.py tests/test_transactions_engines.py

unit: unit-a unit-b unit-c

unit-a: env
	$(BIN)/python -m pytest -p no:cacheprovider $(UNIT_A)

unit-b: env
	$(BIN)/python -m pytest -p no:cacheprovider $(UNIT_B)

unit-c: env
	$(BIN)/python -m pytest -p no:cacheprovider tests $(addprefix --ignore=,$(UNIT_A) $(UNIT_B) $(BOOK_TEST))

# Strict nbval: every chapter and solution notebook of every edition re-run, outputs compared.
# The English edition is at the root, the Chinese one in zh/ (crmlib.course.notebook_path); one
# pytest per edition, so that make test can run them at once.
NBVAL := $(BIN)/python -m pytest -p no:cacheprovider --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
ZH_EXECUTED := $(wildcard zh/notebooks zh/exercises/solutions)

nbval: nbval-en nbval-zh

nbval-en: env
	$(NBVAL) notebooks exercises/solutions

nbval-zh: env
	$(if $(ZH_EXECUTED),$(NBVAL) $(ZH_EXECUTED),@echo "no Chinese notebook yet")

# Re-run every chapter and solution notebook in place, from a fresh kernel (LANG_ONLY=zh: one edition).
execute: env
	$(BIN)/python tools/execute_notebooks.py $(if $(LANG_ONLY),--lang $(LANG_ONLY))

# Write the student exercise notebooks from the solution notebooks, every edition.
exercises: env
	$(BIN)/python tools/make_student.py

# One reveal.js deck per chapter, from the stored outputs, in build/slides/NN_*.slides.html. reveal.js
# and MathJax are copied next to the decks (fetched once from the package index): no request to any
# other host. Open a deck from that folder, or serve it: python -m http.server -d build/slides
slides: env
	$(BIN)/python tools/slides.py --build

# The whole course as a static website, both editions, from the stored outputs (nothing is run):
# build/book/html/index.html. MathJax, the course font and search are in that folder: open it in a
# browser, or serve it: python -m http.server -d build/book/html
book: env
	$(BIN)/python tools/book.py

# The book read in headless Chromium (tests/test_book.py): it builds into build/book-test/. Without
# Chromium the browser tests are skipped (CI sets CRM_REQUIRE_BROWSER=1, and then they fail instead).
BOOK_TEST := tests/test_book.py

book-test: env
	CRM_BOOK_BUILD="$(CURDIR)/build/book-test" $(BIN)/python -m pytest -p no:cacheprovider -rs $(BOOK_TEST)

# Speed of crmlib's models against lifetimes 0.11.3, the reference package, which is
# unmaintained and needs old numpy/scipy: it gets its own environment in .venv-lifetimes/.
# Writes benchmarks/results.md.
LIFETIMES_VENV := .venv-lifetimes

$(LIFETIMES_VENV)/.installed:
	$(PYTHON) -m venv $(LIFETIMES_VENV)
	$(LIFETIMES_VENV)/bin/python -m pip install --quiet lifetimes==0.11.3 numpy==1.26.4 pandas==2.2.3 scipy==1.13.1 'setuptools<81'
	touch $@

bench: env $(LIFETIMES_VENV)/.installed
	$(BIN)/python benchmarks/run.py --lifetimes-python $(LIFETIMES_VENV)/bin/python

# Speed and memory of rfm_summary on 10 million purchases (pandas path, DuckDB path, a hand-written
# DuckDB query) and of the DuckDB path on 100 million from a Parquet file (a temporary folder of
# about 2 GB, removed afterwards; about 10 minutes). Writes benchmarks/rfm_results.md.
bench-rfm: env
	$(BIN)/python benchmarks/rfm_engines.py

clean-env:
	rm -rf $(VENV)
