#!/usr/bin/env bash
# The Python package's tests: builds the `overlap` binary and the wheel, installs the wheel into
# a venv with PySpark, and runs pytest, which compares the Python API and `overlap.spark.dedup`
# (on classic Spark local[2] and on a Spark Connect server it starts on 127.0.0.1) with the
# binary. Needs the Rust toolchain, Python 3.9+ and Java 17+. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${OVERLAP_VENV:-target/python-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r python/requirements-test.txt

cargo build --release --quiet
rm -rf target/wheels
"$venv/bin/maturin" build --release --quiet -m python/Cargo.toml -o target/wheels
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --force-reinstall --no-deps target/wheels/overlap-*.whl

# Spark's executors run Python workers: the venv's, which has the wheel.
export PYSPARK_PYTHON="$PWD/$venv/bin/python"
exec "$venv/bin/python" -m pytest python/tests -p no:cacheprovider "$@"
