"""Run a batch on a Dask cluster: the same batch code path, with Dask's executor.

Imported only when ``--scheduler`` is given, so Dask stays an optional extra. Workers
run the same ``render_chunk`` as the local pool: each prepares the template once, writes
its outputs itself, and sends back only small per-plan results. A task lost with a dead
worker is run again elsewhere by Dask (and retried on other failures), so no plan is
lost; results arrive once per task, so none is reported twice.
"""

from __future__ import annotations

import concurrent.futures as futures
from collections.abc import Callable
from typing import Any

from plandoc.errors import UsageError

DASK_HINT = "install the extra: pip install 'plandoc[dask]'"
RETRIES = 2


class _DaskExecutor(futures.Executor):
    """Dask's concurrent.futures executor, with the shutdown signature the batch uses."""

    def __init__(self, client: Any) -> None:
        self._inner = client.get_executor(pure=False, retries=RETRIES)

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        future: futures.Future[Any] = self._inner.submit(fn, *args, **kwargs)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        # After Ctrl-C the batch stops waiting; tasks already on the cluster may still
        # write their outputs, which a resumed batch finds or rewrites.
        self._inner.shutdown(wait=wait and not cancel_futures)


def connect(address: str) -> tuple[Callable[[int], futures.Executor], Callable[[], None], int]:
    """An executor factory for the scheduler at ``address``, a function that disconnects, and the
    number of worker threads (how many chunks can usefully run at once)."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError(
            f"--scheduler 需要 Dask，但未安装 | --scheduler needs Dask, which is not installed; {DASK_HINT}"
        ) from None
    try:
        client = Client(address, timeout="15s", set_as_default=False)  # type: ignore[no-untyped-call]
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(
            f"连不上 Dask 调度器 {address} | cannot reach the Dask scheduler at {address}: {exc}"
        ) from None
    threads = sum(client.nthreads().values()) or 1  # type: ignore[no-untyped-call]
    return (lambda jobs: _DaskExecutor(client)), client.close, threads
