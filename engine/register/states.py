"""The life of a registered revision: draft → approved → effective → superseded / withdrawn."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    """A revision's state; each change is one append-only event with a reason."""

    DRAFT = "draft"
    APPROVED = "approved"
    EFFECTIVE = "effective"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


STATE_LABELS = {
    State.DRAFT: "草稿",
    State.APPROVED: "已批准",
    State.EFFECTIVE: "现行有效",
    State.SUPERSEDED: "已作废",
    State.WITHDRAWN: "已撤销",
}

_ALLOWED = {
    None: {State.DRAFT, State.APPROVED},
    State.DRAFT: {State.APPROVED, State.WITHDRAWN},
    State.APPROVED: {State.EFFECTIVE, State.WITHDRAWN},
    State.EFFECTIVE: {State.SUPERSEDED, State.WITHDRAWN},
    State.SUPERSEDED: set(),
    State.WITHDRAWN: set(),
}


def can_change(current: State | None, target: State) -> bool:
    """Whether a revision in ``current`` (None: not yet registered) may move to ``target``."""
    return target in _ALLOWED[current]


def state_label(state: str) -> str:
    """The Chinese name of a state, for people."""
    return STATE_LABELS[State(state)]
