import enum
from datetime import datetime, timedelta
from os import PathLike
from typing import List, Optional, Tuple, Union

from .calendar import Calendar
from .escalation import Engine, Notice
from .ivr import Document, Session

NO_RESPONSE: int

class Scale(enum.Enum):
    SATISFACTION = 0
    YES_NO = 1
    FIVE_POINT = 2
    NPS = 3
    CES = 4

class Decision(enum.Enum):
    SAMPLED = 0
    NOT_SAMPLED = 1
    SUPPRESSED = 2
    TRANSFERRED = 3
    CALLBACK = 4
    TOO_SHORT = 5
    QUOTA = 6

class GroupBy(enum.Enum):
    ALL = 0
    AGENT = 1
    TEAM = 2
    QUEUE = 3
    INTERVAL30 = 4
    DAY = 5
    MONTH = 6

class Verdict(enum.Enum):
    AGENT_AT_FAULT = 0
    NOT_AT_FAULT = 1

class Definition:
    @staticmethod
    def from_json(text: str) -> Definition: ...
    @staticmethod
    def load(path: Union[str, PathLike]) -> Definition: ...
    @property
    def name(self) -> str: ...
    @property
    def version(self) -> str: ...
    @property
    def question_ids(self) -> List[str]: ...
    def to_ivr(self) -> Document: ...

class Contact:
    def __init__(self, id: str, customer: str, agent: str, ended: datetime,
                 talk: Union[timedelta, float], transferred: bool = ..., callback: bool = ...) -> None: ...
    id: str
    customer: str
    agent: str

class Sampler:
    def __init__(self, definition: Definition, zone: Calendar) -> None: ...
    def decide(self, contact: Contact) -> Decision: ...
    @staticmethod
    def in_sample(contact_id: str, seed: int, percent: float) -> bool: ...

class Response:
    def __init__(self, answers: List[int], agent: int = ..., team: int = ..., queue: int = ...,
                 at: datetime = ...) -> None: ...
    @property
    def answers(self) -> List[int]: ...
    agent: int
    team: int
    queue: int
    responded: bool

def response_from(definition: Definition, session: Session) -> Response: ...

class Proportion:
    successes: int
    n: int
    value: float
    low: float
    high: float

def wilson(successes: int, n: int, z: float = ...) -> Proportion: ...

class Score:
    def __init__(self, group: str, responses: int, satisfied: int, answered: int) -> None: ...
    group: str
    offered: int
    responded: int
    response_rate: float
    satisfaction: Proportion
    csat: Proportion
    nps: float
    nps_low: float
    nps_high: float
    nps_n: int
    ces: float
    ces_n: int
    more_needed: Optional[int]

def aggregate(definition: Definition, responses: List[Response], by: GroupBy, zone: Calendar,
              precision: float = ...) -> List[Score]: ...

class Roster:
    def __init__(self) -> None: ...
    def add(self, start: datetime, end: datetime, supervisor: str) -> None: ...
    def on_duty(self, t: datetime) -> Optional[str]: ...
    @staticmethod
    def from_json(text: str) -> Roster: ...

class Alert:
    agent: str
    caller: str
    contact: str
    at: datetime
    order: int
    text: str

class YellowCard:
    agent: str
    order: int
    at: datetime
    reason: str
    @property
    def month(self) -> Tuple[int, int]: ...

class Loop:
    def __init__(self, engine: Engine, roster: Roster, zone: Calendar, category: str = ...,
                 department: str = ...) -> None: ...
    def dissatisfied(self, contact: Contact, now: datetime, recording: str = ...) -> Alert: ...
    def on_response(self, definition: Definition, response: Response, contact: Contact,
                    now: datetime, recording: str = ...) -> Optional[Alert]: ...
    def explain(self, order: int, agent: str, text: str, now: datetime) -> None: ...
    def advance(self, now: datetime) -> List[Notice]: ...
    def review(self, order: int, supervisor: str, recording: str, now: datetime) -> None: ...
    def call_back(self, order: int, supervisor: str, note: str, now: datetime) -> None: ...
    def verdict(self, order: int, supervisor: str, verdict: Verdict, reason: str,
                now: datetime) -> None: ...
    def overdue(self, order: int) -> bool: ...
    def yellow_cards(self, month: Optional[Tuple[int, int]] = ...) -> List[YellowCard]: ...

class AssessmentWeights:
    def __init__(self) -> None: ...
    survey: float
    qa: float
    per_yellow_card: float
    stars: int
    min_responses: int

class AgentMonth:
    agent: str
    responses: int
    satisfaction: float
    csat: float
    yellow_cards: int
    qa: Optional[float]
    score: float
    rank: int
    star: bool

def assess(by_agent: List[Score], yellow_cards: List[YellowCard],
           qa: List[Tuple[str, float]], weights: AssessmentWeights = ...) -> List[AgentMonth]: ...
