"""Budgets of one rendering: a step count for loops and calls, value sizes, and a time limit.

A template may come from anyone, so its loops, calls and values are counted as it runs
(``tick`` and ``check_size``, called by the sandbox) and the rendering of one plan runs
under a time limit (``time_limit``). The time limit is checked at every step of the
template and, in a process's main thread, also enforced by ``SIGALRM``, which stops
plain Python code (say, chart building) that the template does not drive.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator
from contextvars import ContextVar
from types import FrameType

from jinja2.exceptions import SecurityError

from plandoc.errors import TimeLimitError

DEFAULT_TIME_LIMIT = 60.0
"""Seconds one plan may take to validate and render; plandoc's own template needs milliseconds."""
MAX_STEPS = 1_000_000
"""Loop iterations and calls of one template rendering; plandoc's own template needs a few thousand."""
MAX_VALUE_SIZE = 10_000_000
"""Characters of a string (or items of a list) a template may build; a whole document needs well under a million."""
MAX_CALL_DEPTH = 64
"""Calls nested in calls (a macro calling itself); plandoc's own template nests two."""
_CLOCK_EVERY = 1024


class TemplateBudgetError(SecurityError):
    """The template went over one of its budgets (the sandbox reports it, located)."""


class _Budget:
    """The running counts of one rendering."""

    def __init__(self) -> None:
        self.steps = 0
        self.depth = 0


_budget: ContextVar[_Budget | None] = ContextVar("plandoc_render_budget", default=None)
_deadline: ContextVar[tuple[float, float] | None] = ContextVar("plandoc_render_deadline", default=None)


def _time_limit_error(seconds: float) -> TimeLimitError:
    return TimeLimitError(
        f"渲染超过 {seconds:g} 秒的时间限制，已停止 | rendering took longer than the time limit of {seconds:g} s "
        "and was stopped (--time-limit)"
    )


def check_deadline() -> None:
    """Raise TimeLimitError when the current time limit has passed."""
    deadline = _deadline.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise _time_limit_error(deadline[1])


@contextlib.contextmanager
def counted_rendering() -> Iterator[None]:
    """Count the steps of one template rendering from zero."""
    token = _budget.set(_Budget())
    try:
        yield
    finally:
        _budget.reset(token)


CALL_STEPS = 10
"""A call (a macro above all) costs about ten times a loop iteration."""


def tick(steps: int = 1) -> None:
    """Count ``steps`` (a loop iteration is one, a call CALL_STEPS) against the budget and the time limit."""
    budget = _budget.get()
    if budget is None:
        return
    before = budget.steps
    budget.steps += steps
    if before // _CLOCK_EVERY != budget.steps // _CLOCK_EVERY:
        if budget.steps > MAX_STEPS:
            raise TemplateBudgetError(
                f"模板的循环和调用超过 {MAX_STEPS:,} 步 | "
                f"the template's loops and calls ran more than {MAX_STEPS:,} steps"
            )
        check_deadline()


@contextlib.contextmanager
def nested_call() -> Iterator[None]:
    """Count one level of calls nested in calls; refuse deeper than MAX_CALL_DEPTH."""
    budget = _budget.get()
    if budget is None:
        yield
        return
    budget.depth += 1
    try:
        if budget.depth > MAX_CALL_DEPTH:
            raise TemplateBudgetError(
                f"宏或函数调用嵌套超过 {MAX_CALL_DEPTH} 层（递归？） | calls nested more than {MAX_CALL_DEPTH} deep "
                "(a macro calling itself?)"
            )
        yield
    finally:
        budget.depth -= 1


def check_size(size: int, what: str = "value") -> None:
    """Refuse a value of ``size`` characters or items beyond MAX_VALUE_SIZE."""
    if size > MAX_VALUE_SIZE:
        raise TemplateBudgetError(
            f"模板生成的值超过 {MAX_VALUE_SIZE:,} 个字符或元素 | the template built a {what} of more than "
            f"{MAX_VALUE_SIZE:,} characters or items"
        )


def _on_alarm(signum: int, frame: FrameType | None) -> None:
    deadline = _deadline.get()
    raise _time_limit_error(deadline[1] if deadline else 0)


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Run the block under a time limit of ``seconds`` (none when None); past it, TimeLimitError."""
    if seconds is None or seconds <= 0:
        yield
        return
    token = _deadline.set((time.monotonic() + seconds, seconds))
    # SIGALRM only in a main thread, and never over a timer someone else has set
    alarm = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    alarm = alarm and signal.getitimer(signal.ITIMER_REAL)[0] == 0
    previous = signal.signal(signal.SIGALRM, _on_alarm) if alarm else None
    try:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, seconds)
        yield
    finally:
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        _deadline.reset(token)
