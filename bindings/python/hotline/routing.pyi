"""Type stubs for hotline.routing."""

import enum
from datetime import datetime, timedelta
from os import PathLike
from typing import Mapping, Optional, Sequence, Union

class Grade(enum.Enum):
    JUNIOR = 0
    INTERMEDIATE = 1
    SENIOR = 2
    EXPERT = 3

class Pool(enum.Enum):
    INBOUND = 0
    OUTBOUND = 1
    BLENDED = 2

class Strategy(enum.Enum):
    LONGEST_IDLE = 0
    FEWEST_CALLS = 1
    LEAST_TALK_TIME = 2
    ROUND_ROBIN = 3
    LINEAR = 4
    RANDOM = 5
    WEIGHTED_RANDOM = 6
    RING_ALL = 7
    BEST_SKILL = 8

class DecisionKind(enum.Enum):
    OFFER = 0
    WITHDRAW = 1
    ANNOUNCE = 2
    CALLBACK_OFFER = 3
    OVERFLOW = 4
    REJECTED = 5
    TIMED_OUT = 6
    AGENT_NOT_READY = 7

class Rule(enum.Enum):
    STRATEGY = 0
    PRIORITY = 1
    STARVATION = 2
    OWNER = 3
    RING_ALL = 4
    ACCEPTED_ELSEWHERE = 5
    ABANDONED = 6
    OFFER_TIMEOUT = 7
    AGENT_LEFT = 8
    STEP = 9
    MAX_WAIT = 10
    QUEUE_FULL = 11
    CLOSED = 12
    PREDICTED_WAIT = 13
    ARRIVAL = 14
    PERIODIC = 15
    RING_NO_ANSWER = 16

class Presence(enum.Enum):
    LOGGED_OUT = 0
    READY = 1
    NOT_READY = 2

class ContactState(enum.Enum):
    RESERVED = 0
    WAITING = 1
    OFFERED = 2
    CONNECTED = 3
    WRAP_UP = 4

class Policy:
    @staticmethod
    def from_json(text: str, base_dir: Union[str, PathLike] = ...) -> Policy: ...
    @staticmethod
    def load(path: Union[str, PathLike]) -> Policy: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def queue_names(self) -> list[str]: ...
    @property
    def tier_names(self) -> list[str]: ...
    def queue_index(self, name: str) -> int: ...
    def strategy(self, queue: str) -> Strategy: ...
    def classify(self, attributes: Mapping[str, object]) -> str: ...
    def to_json(self) -> str: ...
    @property
    def starvation_bound(self) -> Optional[timedelta]: ...

class AgentProfile:
    id: int
    name: str
    languages: list[str]
    grade: Grade
    pool: Pool
    order: int
    def __init__(self, id: int, skills: Mapping[str, int] = ..., languages: Sequence[str] = ...,
                 grade: Grade = ..., pool: Pool = ..., capacity: Mapping[str, int] = ...,
                 order: int = ..., name: str = ...) -> None: ...
    @property
    def skills(self) -> dict[str, int]: ...

class ContactSpec:
    id: int
    queue: str
    tier: str
    language: str
    priority: int
    owner: Optional[int]
    def __init__(self, id: int, queue: str, tier: str = ..., attributes: Mapping[str, object] = ...,
                 language: str = ..., skills: Mapping[str, int] = ..., priority: int = ...,
                 customer: str = ..., owner: Optional[int] = ..., callback: bool = ...) -> None: ...

class Decision:
    kind: DecisionKind
    rule: Rule
    contact: int
    agent: int
    queue: int
    from_queue: int
    step: int
    candidates: int
    metric: float
    position: int
    predicted_wait: Optional[timedelta]
    at: datetime
    def explain(self, policy: Policy) -> str: ...

class AgentStatus:
    presence: Presence
    reason: str
    offered: int
    busy: int
    wrap_up: int
    in_cooldown: bool
    consecutive_no_answer: int
    accepted: int
    talk_time: timedelta

class ContactStatus:
    state: ContactState
    queue: int
    step: int
    tier: int
    arrived: datetime
    offered_to: list[int]
    agent: Optional[int]
    callback: bool
    starving: bool

class QueueStats:
    waiting: int
    arrived: int
    answered: int
    abandoned: int
    timed_out: int
    rejected: int
    overflowed_out: int
    overflowed_in: int
    callbacks: int
    average_handle: timedelta
    staffed: int

_Time = datetime

class Router:
    def __init__(self, policy: Policy, seed: int = ..., indexed: bool = ..., record: bool = ...) -> None: ...
    def login(self, profile: AgentProfile, now: _Time, ready: bool = ...) -> list[Decision]: ...
    def logout(self, agent: int, now: _Time) -> list[Decision]: ...
    def ready(self, agent: int, now: _Time) -> list[Decision]: ...
    def not_ready(self, agent: int, reason: str, now: _Time) -> list[Decision]: ...
    def arrive(self, contact: ContactSpec, now: _Time) -> list[Decision]: ...
    def abandon(self, contact: int, now: _Time) -> list[Decision]: ...
    def accept(self, contact: int, agent: int, now: _Time) -> list[Decision]: ...
    def reject(self, contact: int, agent: int, now: _Time) -> list[Decision]: ...
    def end(self, contact: int, now: _Time) -> list[Decision]: ...
    def wrap_up_done(self, contact: int, now: _Time) -> list[Decision]: ...
    def callback_accepted(self, contact: int, now: _Time) -> list[Decision]: ...
    def callback_declined(self, contact: int, now: _Time) -> list[Decision]: ...
    def advance(self, now: _Time) -> list[Decision]: ...
    @property
    def next_due(self) -> Optional[datetime]: ...
    def apply_json(self, line: str) -> list[Decision]: ...
    def events_jsonl(self) -> str: ...
    def agent(self, agent: int) -> AgentStatus: ...
    def contact(self, contact: int) -> ContactStatus: ...
    def queue_stats(self, queue: Union[int, str]) -> QueueStats: ...
    def position(self, contact: int, now: _Time) -> int: ...
    def predicted_wait(self, contact: int, now: _Time) -> Optional[timedelta]: ...
    @property
    def waiting_count(self) -> int: ...
    @property
    def agent_count(self) -> int: ...
    def check_invariants(self) -> None: ...

def replay(policy: Policy, jsonl: str, seed: int = ..., indexed: bool = ...) -> list[Decision]: ...
