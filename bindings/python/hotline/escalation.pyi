import enum
from datetime import datetime, timedelta
from os import PathLike
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

_Time = datetime
_Path = Union[str, PathLike]

class Channel(enum.Enum):
    HOTLINE = 0
    GENERAL_MANAGER = 1
    MAILBOX = 2
    WEB = 3

class Severity(enum.Enum):
    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3

class Role(enum.Enum):
    TEAM_LEAD = 0
    DEPARTMENT_HEAD = 1
    GENERAL_MANAGER = 2

class NoticeKind(enum.Enum):
    WARNING = 0
    BREACH = 1
    ESCALATION = 2
    IMMEDIATE = 3
    REPEAT = 4

class ClockState(enum.Enum):
    IDLE = 0
    RUNNING = 1
    PAUSED = 2
    STOPPED = 3

class Durability(enum.Enum):
    FULL = 0
    GROUP = 1
    NORMAL = 2

class Policy:
    @staticmethod
    def from_json(text: str, base_dir: _Path = ...) -> Policy: ...
    @staticmethod
    def load(path: _Path) -> Policy: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def canonical_json(self) -> str: ...
    @property
    def categories(self) -> List[str]: ...
    @property
    def departments(self) -> List[str]: ...
    @property
    def calendar_names(self) -> List[str]: ...
    @property
    def timeliness_target(self) -> float: ...

class Actor:
    def __init__(self, id: str, role: str) -> None: ...
    id: str
    role: str

class Notice:
    kind: NoticeKind
    order: int
    clock: str
    due: datetime
    deliver_at: datetime
    fraction: float
    count: int
    level: int
    role: Role
    recipient: str

class Result:
    order: int
    seq: int
    duplicate: bool
    notices: List[Notice]

class Clock:
    state: ClockState
    started: datetime
    since: datetime
    consumed: timedelta
    target: timedelta
    deadline: datetime
    warnings: int
    level: int
    breached: bool
    stopped_at: Optional[datetime]

class TimerMove:
    order: int
    clock: str
    old_deadline: datetime
    new_deadline: datetime

class PolicyChange:
    version: int
    effective: datetime
    applied: bool
    moved: List[TimerMove]
    kept: List[int]

class DeadlineExplanation:
    clock: str
    calendar: str
    target: timedelta
    consumed: timedelta
    since: datetime
    policy_deadline: datetime
    promised: Optional[datetime]
    special: Optional[datetime]
    effective: datetime
    bound: str
    segments: List[Tuple[datetime, datetime]]

class Engine:
    def __init__(self, policy: Policy, path: Optional[_Path] = ..., durability: Durability = ...,
                 group_size: int = ...) -> None: ...
    def create(self, customer: str, category: str, owner: str, now: _Time, *,
               channel: Channel = ..., severity: Severity = ..., department: str = ...,
               handler: str = ..., promised: Optional[_Time] = ..., special: Optional[_Time] = ...,
               fields: Mapping[str, str] = ..., key: str = ...) -> Result: ...
    def transition(self, order: int, name: str, actor: Actor, fields: Mapping[str, str],
                   now: _Time, key: str = ...) -> Result: ...
    def assign(self, order: int, department: str, handler: str, actor: Actor, now: _Time,
               key: str = ...) -> Result: ...
    def add_co_handler(self, order: int, person: str, actor: Actor, now: _Time,
                       key: str = ...) -> Result: ...
    def pause(self, order: int, reason: str, actor: Actor, now: _Time, key: str = ...) -> Result: ...
    def resume(self, order: int, actor: Actor, now: _Time, key: str = ...) -> Result: ...
    def set_promised(self, order: int, deadline: _Time, actor: Actor, now: _Time,
                     key: str = ...) -> Result: ...
    def set_special(self, order: int, deadline: _Time, actor: Actor, now: _Time,
                    key: str = ...) -> Result: ...
    def advance(self, now: _Time) -> List[Notice]: ...
    def next_due(self) -> Optional[datetime]: ...
    def change_policy(self, policy: Policy, effective: _Time, now: _Time) -> PolicyChange: ...
    @property
    def policy_changes(self) -> List[PolicyChange]: ...
    def flush(self) -> None: ...
    @property
    def order_count(self) -> int: ...
    @property
    def open_count(self) -> int: ...
    @property
    def last_time(self) -> datetime: ...
    @property
    def durability(self) -> str: ...
    def order(self, id: int) -> Dict[str, Any]: ...
    def clock(self, id: int, clock: str) -> Clock: ...
    def explain(self, id: int, clock: str) -> DeadlineExplanation: ...
    def explain_text(self, id: int, clock: str) -> str: ...
    def history(self, id: int) -> List[Dict[str, Any]]: ...
    def kpis(self) -> Dict[str, Any]: ...
    def verify_replay(self) -> List[str]: ...

def policy(definition: Dict[str, Any], base_dir: str = ...) -> Policy: ...
