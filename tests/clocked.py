"""Run a Python command in a child process on the parent test's controlled clock.

``python -m tests.clocked manage.py worker`` (or ``-m module``, or ``-c code``) with the
variables from ``conftest.clock_env()``: the child's clock runs at the same offset from the real
time as the test's, so a worker started later agrees with the test about what is due.
"""

from __future__ import annotations

import datetime as dt
import os
import runpy
import subprocess
import sys
import time
from pathlib import Path

import time_machine

ROOT = Path(__file__).resolve().parent.parent


def run_clocked(
    env: dict[str, str], *args: str, timeout: float = 180, ok: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m tests.clocked ARGS`` from the project folder and wait for it; with
    ``ok`` (the default) it must succeed, and its output is shown when it does not."""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tests.clocked", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if ok:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def main() -> None:
    offset = float(os.environ.get("PEERPATH_TEST_CLOCK_OFFSET", "0"))
    start = dt.datetime.fromtimestamp(time.time() + offset, dt.UTC)
    args = sys.argv[1:]
    if not args:
        raise SystemExit("usage: python -m tests.clocked (script | -m module | -c code) [args]")
    with time_machine.travel(start, tick=True):
        if args[0] == "-c":
            sys.argv = ["-c", *args[2:]]
            exec(compile(args[1], "<clocked>", "exec"), {"__name__": "__main__"})  # noqa: S102
        elif args[0] == "-m":
            sys.argv = [args[1], *args[2:]]
            runpy.run_module(args[1], run_name="__main__", alter_sys=True)
        else:
            sys.argv = args
            runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main()
