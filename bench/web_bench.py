"""Benchmark the web app under a bounded load on 127.0.0.1, in one run.

    .venv/bin/python -m bench.web_bench [--users 20] [--previewers 4] [--seconds 20] [--workers 2]
                                        [--pause 0.35] [--preview-pause 1.5]

Starts ``plandoc serve`` (warm LibreOffice, one per worker) on a free port, waits until
every worker has converted once, then times one preview of the sample on its own (warm),
then runs ``--users`` clients validating the sample while ``--previewers`` clients ask for
previews, for ``--seconds``. Each client behaves as the form does at its fastest: the page
sends a validation 350 ms after the user stops typing and a preview 1.5 s after a
validation, and never has two requests of a kind in flight; so a client waits ``--pause``
(``--preview-pause``) after each answer before its next request. ``--pause 0`` turns the
users into a saturation test: the throughput is then the server's capacity. Prints the
validation round trip (median, p95), throughput, the preview times under load, and every
error. Targets: validation p95 ≤ 100 ms, a warm preview of the sample ≤ 3 s, no error.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from plandoc.plan.load import load_plan_source
from plandoc.web.canonical import canonical_plan
from plandoc.web.form_spec import form_description

SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "ding-qiang.yaml"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _post(url: str, body: bytes, timeout: float = 120) -> tuple[int, bytes]:
    request = urllib.request.Request(url, body, {"content-type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_until_warm(base: str, workers: int, deadline: float) -> None:
    """Wait until every worker's LibreOffice has converted once (each reports warm on /healthz)."""
    warm_pids: set[int] = set()
    while len(warm_pids) < workers:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not warm up in time")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                health = json.loads(response.read())
            if health["warm"]:
                warm_pids.add(health["pid"])
        except (OSError, ValueError, KeyError):
            pass
        time.sleep(0.3)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--previewers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pause", type=float, default=0.35, help="seconds a user waits after each validation")
    parser.add_argument("--preview-pause", type=float, default=1.5, help="seconds after each preview")
    options = parser.parse_args()
    plan = canonical_plan(load_plan_source(SAMPLE).data, form_description())
    body = json.dumps({"plan": plan}, ensure_ascii=False).encode("utf-8")
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "plandoc", "serve", "--port", str(port), "--workers", str(options.workers)],
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        _wait_until_warm(base, options.workers, time.monotonic() + 300)
        started = time.perf_counter()
        status, _ = _post(base + "/api/preview", body)
        alone = time.perf_counter() - started
        print(f"warm preview of the sample, alone: {alone:.2f} s (status {status}; target ≤ 3 s)")
        results = _load(base, body, options)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    _report(results, options)


def _load(base: str, body: bytes, options: argparse.Namespace) -> dict[str, Any]:
    stop = time.monotonic() + options.seconds
    validations: list[float] = []
    previews: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def client(path: str, times: list[float], pause: float) -> None:
        while time.monotonic() < stop:
            started = time.perf_counter()
            status, answer = _post(base + path, body)
            elapsed = time.perf_counter() - started
            with lock:
                if status == 200:
                    times.append(elapsed)
                else:
                    errors.append(f"{path}: {status} {answer[:120]!r}")
            time.sleep(pause)

    threads = [
        threading.Thread(target=client, args=("/api/validate", validations, options.pause))
        for _ in range(options.users)
    ]
    threads += [
        threading.Thread(target=client, args=("/api/preview", previews, options.preview_pause))
        for _ in range(options.previewers)
    ]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"validations": validations, "previews": previews, "errors": errors, "seconds": time.perf_counter() - began}


def _report(results: dict[str, Any], options: argparse.Namespace) -> None:
    validations, previews = results["validations"], results["previews"]
    print(
        f"load: {options.users} users validating (pause {options.pause} s), {options.previewers} previewing "
        f"(pause {options.preview_pause} s), {results['seconds']:.1f} s"
    )
    if validations:
        print(
            f"validation round trip: median {statistics.median(validations) * 1000:.1f} ms, "
            f"p95 {_percentile(validations, 0.95) * 1000:.1f} ms (target ≤ 100 ms); "
            f"throughput {len(validations) / results['seconds']:.0f} validations/s"
        )
    if previews:
        print(
            f"previews under load: {len(previews)}, median {statistics.median(previews):.2f} s, "
            f"longest {max(previews):.2f} s"
        )
    print(f"errors: {len(results['errors'])}")
    for error in results["errors"][:10]:
        print("  " + error)


if __name__ == "__main__":
    main()
