"""The batch's executor, started again when a worker process dies, so a dead worker costs no plans.

A process pool whose worker dies (killed, out of memory) is broken for good: every chunk
in flight fails with ``BrokenProcessPool`` and nothing more can be submitted. The batch
then starts a fresh pool and sends the broken chunks again; a chunk broken twice is sent
again one plan at a time, so a plan that kills its worker every time fails alone.
"""

from __future__ import annotations

import concurrent.futures as futures
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any

MAX_ATTEMPTS = 3
"""Tries of one plan whose worker died: with its chunk, again with its chunk, then alone."""


class RestartingPool:
    """An executor that is replaced when it breaks; knows which pool each future came from."""

    def __init__(self, factory: Callable[[int], futures.Executor], jobs: int) -> None:
        self._factory = factory
        self._jobs = jobs
        self._executor = factory(jobs)
        self._generation = 0
        self._generation_of: dict[futures.Future[Any], int] = {}
        self.restarts = 0

    def submit(self, fn: Callable[..., Any], *args: Any) -> futures.Future[Any]:
        """Submit ``fn(*args)``, replacing the pool first if it is already broken."""
        try:
            future = self._executor.submit(fn, *args)
        except BrokenProcessPool:
            self._restart()
            future = self._executor.submit(fn, *args)
        self._generation_of[future] = self._generation
        return future

    def settled(self, future: futures.Future[Any]) -> None:
        """Forget ``future``; if it failed because its pool broke, make sure that pool is replaced."""
        generation = self._generation_of.pop(future, self._generation)
        if generation == self._generation and died_with_its_worker(future):
            self._restart()

    def _restart(self) -> None:
        broken, self._executor = self._executor, self._factory(self._jobs)
        self._generation += 1
        self.restarts += 1
        broken.shutdown(wait=False, cancel_futures=True)

    def shutdown(self, *, wait: bool, cancel_futures: bool) -> None:
        """Shut the current pool down."""
        self._executor.shutdown(wait=wait, cancel_futures=cancel_futures)


def died_with_its_worker(future: futures.Future[Any]) -> bool:
    """Whether ``future`` failed because the worker process running it died."""
    return future.done() and not future.cancelled() and isinstance(future.exception(), BrokenProcessPool)
