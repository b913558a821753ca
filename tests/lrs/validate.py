"""Validate xAPI statements with Learning Locker's ``xapi-validation`` (npm 2.1.4) through node.

Ralph's own validation is weaker than the spec (it stores a verb id that is not an IRI, or a
``score.scaled`` of 2), so the tests check what a course sends with this validator as well.
The package is installed in ``tests/e2e/node_modules`` (``npm ci --prefix tests/e2e``, which
scripts/test runs). If node or the package is missing, the call fails the test; it never skips.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "validate.js"
NODE_MODULES = HERE.parent / "e2e" / "node_modules"


def validate_many(statements: Iterable[dict[str, Any]]) -> list[list[str]]:
    """For each statement, the problems xapi-validation finds (an empty list when valid)."""
    batch = list(statements)
    if not batch:
        return []
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is not installed: the xAPI statement validator needs it (Node 20)")
    if not (NODE_MODULES / "xapi-validation").is_dir():
        pytest.fail("xapi-validation is not installed: run `npm ci --prefix tests/e2e` "
                    "(scripts/test does)")
    done = subprocess.run([node, str(SCRIPT)], input=json.dumps(batch), capture_output=True,
                          text=True, timeout=120, check=False)
    if done.returncode != 0:
        pytest.fail(f"xapi-validation failed to run:\n{done.stderr.strip()}")
    problems: list[list[str]] = json.loads(done.stdout)
    return problems


def validate(statement: dict[str, Any]) -> list[str]:
    """The problems xapi-validation finds in one statement (an empty list when it is valid)."""
    return validate_many([statement])[0]


def invalid(statements: Iterable[dict[str, Any]]) -> dict[str, list[str]]:
    """``{statement id or index: problems}`` for every statement that is not valid xAPI;
    handy as ``assert invalid(lrs.statements()) == {}``."""
    batch = list(statements)
    found = zip(batch, validate_many(batch), strict=True)
    return {str(s.get("id", i)): p for i, (s, p) in enumerate(found) if p}
