"""Fixtures: the `overlap` binary to compare against, the datasets, and real Spark sessions
(classic `local[2]` in this process, and a Spark Connect server started on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator, List, Tuple

import pytest

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
BENCH = Path(os.environ.get("OVERLAP_SHARED", REPO.parent / "shared")) / "bench" / "corpus.jsonl"
SLICE_DOCS = 10_000


def _binary() -> Path:
    path = Path(os.environ.get("OVERLAP_BIN", REPO / "target" / "release" / "overlap"))
    if not path.exists():
        pytest.fail(f"{path} not found: run `cargo build --release` first (or set OVERLAP_BIN)")
    return path


def run_cli(*args: str, skipped: bool = False) -> dict:
    """`overlap scan ... --format json`, parsed. Exit code 2 (records skipped) is expected
    only with `skipped`."""
    out = subprocess.run(
        [str(_binary()), "scan", *args, "--format", "json"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert out.returncode == (2 if skipped else 0), out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="session")
def sample_rows() -> List[Tuple[str, str, int]]:
    """`(id, text, order)` of samples/ as `overlap scan samples` reads it: .txt and .md files
    in name order, ids as the scan names them."""
    files = sorted(p for p in SAMPLES.iterdir() if p.suffix in (".txt", ".md"))
    return [(f"samples/{p.name}", p.read_bytes().decode("utf-8"), i) for i, p in enumerate(files)]


@pytest.fixture(scope="session")
def sample_scan() -> dict:
    return run_cli("samples", "--no-stories")


@pytest.fixture(scope="session")
def bench_slice(tmp_path_factory) -> Path:
    """The first 10,000 documents of the bench corpus, as a JSONL file."""
    if not BENCH.exists():
        pytest.fail(f"{BENCH} not found: the bench corpus lives in ../shared (or set OVERLAP_SHARED)")
    path = tmp_path_factory.mktemp("slice") / "slice.jsonl"
    with BENCH.open("rb") as src, path.open("wb") as dst:
        for _, line in zip(range(SLICE_DOCS), src):
            dst.write(line)
    return path


@pytest.fixture(scope="session")
def slice_scan(bench_slice) -> dict:
    return run_cli(str(bench_slice), "--no-stories")


def _spark_home() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def connect_server(tmp_path_factory) -> Iterator[str]:
    """A Spark Connect server (local[2]) on 127.0.0.1, for the session; yields its URL."""
    home = _spark_home()
    jars = sorted((home / "jars").glob("spark-connect_*.jar"))
    if not jars:
        pytest.fail(f"no spark-connect jar under {home / 'jars'}: install pyspark>=4.0")
    port = _free_port()
    log = tmp_path_factory.mktemp("connect") / "server.log"
    env = dict(os.environ, SPARK_HOME=str(home), PYSPARK_PYTHON=sys.executable)
    cmd = [
        str(home / "bin" / "spark-submit"),
        "--master", "local[2]",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.connect.grpc.binding.address=127.0.0.1",
        "--conf", f"spark.connect.grpc.binding.port={port}",
        "--class", "org.apache.spark.sql.connect.service.SparkConnectServer",
        str(jars[-1]),
    ]  # fmt: skip
    with log.open("w") as out:
        server = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        deadline = time.monotonic() + 180
        while True:
            if server.poll() is not None:
                pytest.fail(f"the Spark Connect server exited:\n{log.read_text()[-3000:]}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"the Spark Connect server did not listen:\n{log.read_text()[-3000:]}")
                time.sleep(0.5)
        yield f"sc://127.0.0.1:{port}"
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def _local_session():
    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("overlap-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _connect_session(url: str):
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.remote(url).getOrCreate()
    spark.conf.set("spark.sql.shuffle.partitions", "4")
    return spark


@pytest.fixture(scope="session", params=["local", "connect"])
def spark(request):
    """Every Spark test runs on classic Spark (local[2], in this process) and then on Spark
    Connect. PySpark holds one kind of session per process at a time, and pytest runs all the
    tests of one parameter of a session fixture before it tears it down and sets up the next,
    so the classic session is stopped before the remote one starts."""
    if request.param == "local":
        session = _local_session()
    else:
        session = _connect_session(request.getfixturevalue("connect_server"))
    yield session
    session.stop()
