# check-integration: celltag against real Jupyter, and the command-line
# conventions on real notebooks (see tests/integration/).
# Debian's python3-nbformat and the Classic Notebook server (jupyter-notebook,
# 6.x) are installed when missing.  The scripts run with Debian's own
# interpreter, not whatever `python3` is first on PATH (pyenv and virtualenvs
# do not see Debian's packages).
INTEGRATION_PACKAGES := python3-nbformat jupyter-notebook
DEB_PYTHON ?= /usr/bin/python3

CHECK_EXTRA += check-integration
.PHONY: check-integration

check-integration: $(BIN)
	@sh mk/deps.sh $(INTEGRATION_PACKAGES)
	@echo "== tests/integration/check_nbformat.py"
	@CELLTAG_BIN=$(abspath $(BIN)) $(DEB_PYTHON) tests/integration/check_nbformat.py
	@echo "== tests/integration/check_server.py"
	@CELLTAG_BIN=$(abspath $(BIN)) $(DEB_PYTHON) tests/integration/check_server.py
	@echo "== tests/integration/check_conventions.py"
	@CELLTAG_BIN=$(abspath $(BIN)) $(DEB_PYTHON) tests/integration/check_conventions.py
