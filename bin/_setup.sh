# Sourced by bin/run and bin/test: find Python >= 3.12 and make .venv from uv.lock.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
unset PYTHONDONTWRITEBYTECODE  # bytecode caching makes pytest collection several times faster

find_python() {
  local candidates=("${TRANQUIL_PYTHON:-}" python3.13 python3.12 python3)
  if command -v pyenv >/dev/null 2>&1; then
    local root; root=$(pyenv root)
    candidates+=("$root"/versions/3.1[3-9]*/bin/python "$root"/versions/3.12*/bin/python)
  fi
  for c in "${candidates[@]}"; do
    [ -n "$c" ] || continue
    local path; path=$(command -v "$c" 2>/dev/null) || continue
    if "$path" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      "$path" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  echo "Tranquil needs Python 3.12 or newer, and none was found." >&2
  echo "Install it (for example: apt-get install python3.12, or pyenv install 3.12)" >&2
  echo "or point TRANQUIL_PYTHON at one." >&2
  return 1
}

PYTHON=$(find_python)
if [ ! -x .venv/bin/python ] || ! .venv/bin/python -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  rm -rf .venv
fi
# uv installs the locked dependencies in seconds; bootstrap it into a private folder once.
UV_HOME=${TRANQUIL_UV_HOME:-$HOME/.cache/tranquil-uv}
if ! [ -x "$UV_HOME/bin/uv" ]; then
  "$PYTHON" -m venv "$UV_HOME"
  "$UV_HOME/bin/python" -m pip install -q uv
fi
"$UV_HOME/bin/uv" sync --frozen --quiet --python "$PYTHON"
export PATH="$PWD/.venv/bin:$PATH"
