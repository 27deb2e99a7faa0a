"""hotline: the working parts of a telecom hotline — routing, IVR, SLA, escalation, surveys.

Each component is a submodule: ``hotline.calendar``, ``hotline.sla``, ... Durations are accepted as
``datetime.timedelta`` or seconds (float) and returned as ``timedelta``; instants are
``datetime.datetime`` (aware values in any zone, naive values read as UTC) and returned aware in UTC.
Every error raised by the library derives from :class:`hotline.Error`.
"""

from ._hotline import (  # noqa: F401
    AlreadyExistsError,
    DefinitionError,
    Error,
    InvalidArgumentError,
    LimitError,
    NotFoundError,
    StateError,
    StorageError,
    __version__,
    format_duration,
    format_instant,
    parse_duration,
    parse_instant,
    version,
)
from . import calendar  # noqa: F401
from . import escalation  # noqa: F401
from . import ivr  # noqa: F401
from . import routing  # noqa: F401
from . import sim  # noqa: F401
from . import sla  # noqa: F401
from . import survey  # noqa: F401
from . import workforce  # noqa: F401

__all__ = [
    "AlreadyExistsError",
    "DefinitionError",
    "Error",
    "InvalidArgumentError",
    "LimitError",
    "NotFoundError",
    "StateError",
    "StorageError",
    "__version__",
    "calendar",
    "escalation",
    "format_duration",
    "format_instant",
    "ivr",
    "routing",
    "parse_duration",
    "parse_instant",
    "sim",
    "sla",
    "survey",
    "version",
    "workforce",
]
