"""Batches on a Dask cluster: the same documents and report as the local pool, surviving a lost worker."""

from __future__ import annotations

import importlib
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from plandoc.authoring.sample_plans import generated_plan
from plandoc.batch.options import BatchOptions
from plandoc.batch.runner import BatchRunner
from plandoc.cli import main
from tests.conftest import ROOT

distributed = pytest.importorskip("distributed", reason="Dask is part of the test extra: pip install -e '.[test]'")

# distributed's HTTP server leaves a listening socket for the garbage collector when a
# second cluster starts in one process; that is its warning to fix, not plandoc's.
pytestmark = [
    pytest.mark.filterwarnings("ignore::ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]


def write_jsonl(path: Path, count: int, bad: tuple[int, ...] = ()) -> None:
    with path.open("w", encoding="utf-8") as stream:
        for seed in range(count):
            data = generated_plan(seed)
            if seed in bad:
                data["control"]["status"] = "半受控"  # none of the choices
            stream.write(json.dumps(data, ensure_ascii=False) + "\n")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0", silence_logs=logging.ERROR
    ) as local_cluster:
        yield local_cluster


def batch(*args: str) -> int:
    result = CliRunner().invoke(main, ["batch", *args, "--quiet"])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code


def report_plans(outdir: Path) -> list[dict[str, Any]]:
    plans: list[dict[str, Any]] = json.loads((outdir / "batch-report.json").read_text(encoding="utf-8"))["plans"]
    return plans


def test_dask_gives_the_same_documents_and_report_as_the_local_pool(tmp_path: Path, cluster: Any) -> None:
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 150, bad=(7, 99))
    local, dask = tmp_path / "local", tmp_path / "dask"
    assert batch(str(source), "-o", str(local), "--jobs", "2") == 1
    assert batch(str(source), "-o", str(dask), "--scheduler", cluster.scheduler_address) == 1
    assert report_plans(dask) == report_plans(local)
    assert [p["status"] for p in report_plans(dask)].count("failed") == 2
    documents = sorted(p.name for p in local.glob("*.docx"))
    assert len(documents) == 148
    assert sorted(p.name for p in dask.glob("*.docx")) == documents
    for name in documents:
        assert (dask / name).read_bytes() == (local / name).read_bytes()
    # each worker process compiled the template once, however many chunks it rendered
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        compilations = client.run(
            lambda: importlib.import_module("plandoc.render.compiled").prepare_renderer.cache_info().misses
        )
    assert sorted(compilations.values()) == [1, 1]


def test_a_killed_worker_loses_no_plan(tmp_path: Path, cluster: Any) -> None:
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 2000)
    outdir = tmp_path / "out"
    client = distributed.Client(cluster.scheduler_address, set_as_default=False)
    pids = client.run(os.getpid)
    state = outdir / ".plandoc-batch" / "state.jsonl"
    killed: list[int] = []

    def kill_one_worker() -> None:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if state.exists() and state.read_text(encoding="utf-8").count("\n") >= 200:
                pid = next(iter(pids.values()))
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
                return
            time.sleep(0.02)

    killer = threading.Thread(target=kill_one_worker)
    killer.start()
    code = batch(str(source), "-o", str(outdir), "--scheduler", cluster.scheduler_address)
    killer.join()
    client.close()
    assert killed, "no worker was killed during the batch"
    assert code == 0
    plans = report_plans(outdir)
    assert [p["index"] for p in plans] == list(range(2000))
    assert {p["status"] for p in plans} == {"ok"}
    assert len(list(outdir.glob("*.docx"))) == 2000


def test_outputs_to_an_fsspec_url_and_resume_there(tmp_path: Path) -> None:
    import fsspec

    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 12, bad=(3,))
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0", silence_logs=logging.ERROR
        ) as threads,
        distributed.Client(threads, set_as_default=False),
    ):
        from plandoc.batch.dask_cluster import connect

        executor, disconnect, _ = connect(threads.scheduler_address)
        try:
            options = BatchOptions(source=source, outdir="memory://plandoc-test/out", jobs=2)
            first = BatchRunner(options, executor=executor).run()
            second = BatchRunner(options, executor=executor).run()
        finally:
            disconnect()
    memory = fsspec.filesystem("memory")
    names = {entry.rsplit("/", 1)[-1] for entry in memory.ls("/plandoc-test/out", detail=False)}
    assert len([n for n in names if n.endswith(".docx")]) == 11
    assert "batch-report.json" in names
    assert not [n for n in names if n.endswith(".part")]
    assert (first.counts.ok, first.counts.failed) == (11, 1)
    assert (second.counts.up_to_date, second.counts.failed) == (11, 1)
    assert first.report == "memory://plandoc-test/out/batch-report.json"


def test_dask_is_not_imported_without_a_scheduler(tmp_path: Path) -> None:
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 3)
    code = (
        "import sys; from click.testing import CliRunner; from cli import main; "
        f"r = CliRunner().invoke(main, ['batch', {str(source)!r}, '-o', {str(tmp_path / 'out')!r}, '-q', '-j', '1']); "
        "print(r.exit_code, any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules))"
    )
    completed = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert completed.stdout.split() == ["0", "False"]


def test_scheduler_without_dask_installed_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    source = tmp_path / "plans.jsonl"
    write_jsonl(source, 1)
    result = CliRunner().invoke(main, ["batch", str(source), "-o", str(tmp_path / "out"), "--scheduler", "tcp://x:1"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "plandoc: --scheduler 需要 Dask，但未安装 | --scheduler needs Dask, which is not installed; "
        "install the extra: pip install 'plandoc[dask]'"
    )
