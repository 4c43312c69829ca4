"""Running ``watch`` as a separate process in the tests, and killing it mid-update as a crash would."""

from __future__ import annotations

import json
import signal
import subprocess
import time


def json_events(output: str) -> list[dict]:
    """The JSON events among a process's output lines."""
    return [json.loads(line) for line in output.splitlines() if line.startswith("{")]


def kill_once_version_two_trains(command: list[str], env: dict[str, str], deadline_s: float = 300) -> list[dict]:
    """Start ``command``, read its JSON events until it logs that version 2 is training, then SIGKILL it (no cleanup).

    Returns the events seen up to the kill.
    """
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    seen: list[dict] = []
    deadline = time.monotonic() + deadline_s
    try:
        for line in process.stdout:
            if line.startswith("{"):
                seen.append(json.loads(line))
                if seen[-1]["event"] == "log" and seen[-1]["message"].startswith("training version 2"):
                    break
            assert time.monotonic() < deadline, "the update never started"
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    return seen
