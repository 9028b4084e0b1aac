#!/bin/sh
# Create the virtual environment (if missing) and install the package into it, editable, with
# its dependencies within the pins of constraints.txt.
#
#   sh scripts/install_venv.sh PYTHON VENV EXTRAS [INSTALLER]
#
# INSTALLER is "auto" (the default), "uv" or "pip". With "auto", uv installs (about 10 s on a
# fresh clone here against about 50 s with pip; benchmarks/bench_clone.py measures both):
# the uv on PATH, or else uv as pinned in constraints.txt, installed into VENV with pip. If uv
# cannot be had or its install fails (it reads its own settings, not pip's: an index set only
# in pip.conf is not seen by it), pip installs instead, as it did before uv was used.
set -eu

PYTHON=$1
VENV=$2
EXTRAS=$3
INSTALLER=${4:-auto}
PY=$VENV/bin/python

case $INSTALLER in
    auto | uv | pip) ;;
    *)
        echo "error: INSTALLER must be auto, uv or pip, got '$INSTALLER'" >&2
        exit 2
        ;;
esac

if [ ! -x "$PY" ]; then
    echo "creating $VENV with $PYTHON"
    "$PYTHON" -m venv "$VENV"
fi

with_pip() {
    "$PY" -m pip install --quiet --upgrade pip
    "$PY" -m pip install --quiet -c constraints.txt -e ".[$EXTRAS]"
}

if [ "$INSTALLER" = pip ]; then
    with_pip
    exit 0
fi

uv=$(command -v uv 2>/dev/null || true)
if [ -z "$uv" ] && "$PY" -m pip install --quiet -c constraints.txt uv; then
    uv=$VENV/bin/uv
fi
# --compile-bytecode: uv, unlike pip, writes no bytecode at install, and where
# PYTHONDONTWRITEBYTECODE is set (as on this machine) none is ever cached, so every process
# would compile every module it imports (importing PyMC, JAX, ArviZ and matplotlib took 10 s
# instead of 4 s here).
if [ -n "$uv" ] && "$uv" pip install --quiet --compile-bytecode --python "$PY" -c constraints.txt -e ".[$EXTRAS]"; then
    exit 0
fi
if [ "$INSTALLER" = uv ]; then
    echo "error: could not install with uv (INSTALLER=uv)" >&2
    exit 1
fi
echo "uv is not available or its install failed; installing with pip" >&2
with_pip
