"""Run `course-builder preview` as an author does, in a subprocess on a free port, and collect
what it prints (the terminal is part of what the author reads)."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Preview:
    url: str
    process: subprocess.Popen[str]
    terminal: list[str] = field(default_factory=list)

    def wait_for_output(self, pattern: str, timeout: float = 15) -> str:
        """The first terminal line matching ``pattern`` (a regex), waiting for it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for line in list(self.terminal):
                if re.search(pattern, line):
                    return line
            time.sleep(0.05)
        raise AssertionError(f"the preview never printed {pattern!r}; it printed:\n" +
                             "\n".join(self.terminal))


@contextmanager
def run_preview(course_dir: Path) -> Iterator[Preview]:
    process = subprocess.Popen(
        [sys.executable, "-u", "-m", "course_builder", "preview", str(course_dir)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert process.stdout is not None
    terminal: list[str] = []
    url = None
    deadline = time.monotonic() + 30
    while url is None and time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        terminal.append(line.rstrip("\n"))
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)$", line.strip())
        if match:
            url = match.group(1)
    if url is None:
        process.kill()
        raise AssertionError("the preview did not start:\n" + "\n".join(terminal))

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            terminal.append(line.rstrip("\n"))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    preview = Preview(url, process, terminal)
    try:
        yield preview
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=5)
