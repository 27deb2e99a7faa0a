"""Type stubs for hotline.sim."""

from os import PathLike
from typing import Any, Callable, Dict, Optional, Union

class Scenario:
    @staticmethod
    def from_json(text: str, base_dir: Union[str, PathLike[str]] = ...) -> Scenario: ...
    @staticmethod
    def load(path: Union[str, PathLike[str]]) -> Scenario: ...
    @property
    def name(self) -> str: ...
    @property
    def agents(self) -> int: ...
    @property
    def replications(self) -> int: ...
    @property
    def seed(self) -> int: ...

class Report:
    def to_json(self) -> str: ...
    def to_text(self) -> str: ...
    def to_html(self) -> str: ...
    @property
    def replications(self) -> int: ...
    @property
    def calls(self) -> float: ...

def run_report(
    scenario: Scenario,
    *,
    replications: Optional[int] = ...,
    seed: Optional[int] = ...,
    progress: Optional[Callable[[int, int, float], None]] = ...,
    max_events: Optional[int] = ...,
) -> Report: ...
def run(
    scenario: Union[Scenario, str, PathLike[str]],
    *,
    replications: Optional[int] = ...,
    seed: Optional[int] = ...,
    progress: Optional[Callable[[int, int, float], None]] = ...,
    max_events: Optional[int] = ...,
) -> Dict[str, Any]: ...
