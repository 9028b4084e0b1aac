#!/bin/sh
# Print the path of a Python >= 3.12 interpreter, or explain and fail.
# Looks on PATH first, then in pyenv's install folder and the usual system places,
# so it works even when pyenv's shims are not on PATH.
for cand in python3.12 python3.13 python3 \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.12*/bin/python3 \
    "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.13*/bin/python3 \
    /root/.pyenv/versions/3.12*/bin/python3 /root/.pyenv/versions/3.13*/bin/python3 \
    /usr/local/bin/python3.12 /usr/local/bin/python3.13 /usr/bin/python3.12 /usr/bin/python3.13; do
    path=$(command -v "$cand" 2>/dev/null) || continue
    if "$path" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
        echo "$path"
        exit 0
    fi
done
echo "error: Summit Forecast needs Python >= 3.12 with the venv module; none was found on PATH," >&2
echo "       in \$PYENV_ROOT/versions or /usr/local/bin. Install one, or run: make PYTHON=/path/to/python3.12" >&2
exit 1
