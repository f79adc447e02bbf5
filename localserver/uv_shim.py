"""Stands in for `uv run [uv options] -m MODULE ARGS`: runs `<this python> -m MODULE ARGS` as a child.

Both skyrl servers start their engine with `uv run --extra tinker --extra jax -m ... engine ARGS`, and
skyrl 0.4.0's API process also reads its *parent's* command line and expects `uv run <options> -m
skyrl.tinker.api ...` there. There is no uv project here, so LocalServer puts a `uv` on the server's
PATH that execs this script with the server venv's python, and starts skyrl 0.4.0's API through it.

Running the module as a child (not exec) is what makes this process the parent whose command line the
API reads. The shim passes SIGTERM/SIGINT/SIGHUP on to the child, gives the child a parent-death
signal (if the shim is killed outright the child still stops), and exits with the child's status.

Standard library only; runs in the server venv.
"""

from __future__ import annotations

import signal
import subprocess
import sys


def _die_with_parent() -> None:
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def main(argv: list[str]) -> int:
    if not argv or argv[0] != "run" or "-m" not in argv or argv.index("-m") == len(argv) - 1:
        print(
            "uv shim (tinker-ext localserver): only `uv run [options] -m MODULE ARGS` is supported",
            file=sys.stderr,
        )
        return 2
    module_args = argv[argv.index("-m") :]
    child = subprocess.Popen([sys.executable, *module_args], preexec_fn=_die_with_parent)

    def forward(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signum)

    for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(signum, forward)
    returncode = child.wait()
    # A child killed by signal N reports -N; a shell would report 128 + N.
    return 128 - returncode if returncode < 0 else returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
