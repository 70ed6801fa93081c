"""The shape every benchmark reports in: one figure per measured thing.

A benchmark script given `--json PATH` writes its figures there (a JSON list); the
runner (bench/run.py) collects them and prints `name: value unit (floor value, ratio)`.
`floor` is what the same work costs with nothing around it, measured in the same run
(a bare COPY, a bare GROUP BY, a static file); `ratio` is value / floor in the
direction where more is worse (time over time, floor rate over rate).
`target` says what the issue asks, in words, and `met` whether this run met it.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    floor: float | None = None
    floor_unit: str = ""
    ratio: float | None = None
    target: str = ""
    met: bool | None = None
    size: str = ""
    extra: dict[str, float | str] = field(default_factory=dict)

    def line(self) -> str:
        text = f"{self.name}: {_fmt(self.value)} {self.unit}"
        if self.floor is not None:
            ratio = f", ratio {self.ratio:.2f}" if self.ratio is not None else ""
            text += f" (floor {_fmt(self.floor)} {self.floor_unit or self.unit}{ratio})"
        if self.target:
            verdict = "" if self.met is None else (" met" if self.met else " MISSED")
            text += f" [target {self.target}:{verdict}]"
        return text


def _fmt(value: float) -> str:
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def write(path: str | None, figures: list[Figure]) -> None:
    for figure in figures:
        print(figure.line(), flush=True)
    if path:
        Path(path).write_text(json.dumps([asdict(f) for f in figures]))


def read(path: Path) -> list[Figure]:
    return [Figure(**item) for item in json.loads(path.read_text())]
