"""Ctrl-C during the recording of a finished plan waits for the record to be whole."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from plandoc.batch.interrupts import Terminated, interrupts_deferred, interrupts_held, stop_requested


def test_ctrl_c_inside_the_block_is_raised_after_it() -> None:
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        steps.append("after the signal")
    assert steps == ["after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_nested_block_leaves_the_interrupt_to_the_outer_one() -> None:
    steps: list[str] = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        with interrupts_deferred():
            os.kill(os.getpid(), signal.SIGINT)
            steps.append("inner")
        steps.append("outer")
    assert steps == ["inner", "outer"]


def test_without_a_signal_nothing_is_raised_and_the_handler_is_restored() -> None:
    with interrupts_deferred():
        pass
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_off_the_main_thread_the_block_runs_as_it_is() -> None:
    outcome: list[str] = []

    def body() -> None:
        with interrupts_deferred():
            outcome.append(str(signal.getsignal(signal.SIGINT) is signal.default_int_handler))

    worker = threading.Thread(target=body)
    worker.start()
    worker.join()
    assert outcome == ["True"]


def test_held_signals_are_requests_the_block_asks_for() -> None:
    before = signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)  # other tests may have set SIGTERM's
    steps: list[str] = []
    with interrupts_held() as received:
        os.kill(os.getpid(), signal.SIGINT)
        steps.append("after Ctrl-C")
        with interrupts_deferred():  # inside a held block, a deferred block does not raise either
            os.kill(os.getpid(), signal.SIGTERM)
            steps.append("after SIGTERM")
        steps.append("end")
    assert steps == ["after Ctrl-C", "after SIGTERM", "end"]
    assert received == [signal.SIGINT, signal.SIGTERM]
    assert isinstance(stop_requested(received), Terminated), "SIGTERM wins: the exit code says 143"
    assert type(stop_requested([signal.SIGINT])) is KeyboardInterrupt
    assert stop_requested([]) is None
    assert (signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)) == before, "the handlers are restored"
