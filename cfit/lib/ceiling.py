"""Run a piece of work in a child process under a memory and a time ceiling.

Reading an upload is the one place where a member's file decides how much memory and
time the server spends. The upload door refuses what it can recognise; anything that
slips through is read here, in a forked child whose address space may grow by at most
`memory_bytes` and which is killed after `seconds`. If the child runs out, only the
child dies: the web or task worker gets a `CeilingExceeded` and tells the member.

    def work(send):            # runs in the child; send(message) reaches on_message
        return check_purchases(file, vocabulary=vocabulary, progress=send)

    result = run_with_ceiling(work, memory_bytes=512 * MB, seconds=600, on_message=save)

The child is forked, so `work` may use what the parent has loaded (a vocabulary, an
open file) but must not use the database: the connection belongs to the parent.
"""

import faulthandler
import math
import multiprocessing
import resource
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

Send = Callable[[Any], None]


@dataclass(frozen=True)
class Usage:
    """What the work cost in the child: peak memory growth and wall-clock time."""

    peak_growth_bytes: int
    seconds: float


@dataclass(frozen=True)
class Outcome[T]:
    result: T
    usage: Usage


class CeilingExceeded(Exception):
    """The work needed more memory or time than allowed, or its process died."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # "memory", "time" or "crash"


def _status_kib(field: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def _child(
    connection: Connection,
    work: Callable[[Send], Any],
    memory_bytes: int,
    seconds: float,
) -> None:
    # A child stopped by its ceiling is an expected outcome, not a crash to dump.
    faulthandler.disable()
    # The limit counts the address space already mapped (inherited from the parent)
    # plus the growth allowed.
    address_space = _status_kib("VmSize") * 1024 + memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (address_space, address_space))
    cpu = math.ceil(seconds) + 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu_now = math.ceil(used.ru_utime + used.ru_stime)
    limit = cpu_now + cpu
    resource.setrlimit(
        resource.RLIMIT_CPU,
        (limit, hard if hard == resource.RLIM_INFINITY else max(hard, limit)),
    )
    resident_at_start = _status_kib("VmRSS")
    started = time.monotonic()

    def send(message: Any) -> None:
        connection.send(("message", message))

    try:
        result = work(send)
        usage = Usage(
            peak_growth_bytes=max(0, _status_kib("VmHWM") - resident_at_start) * 1024,
            seconds=time.monotonic() - started,
        )
        connection.send(("done", Outcome(result=result, usage=usage)))
    except MemoryError:
        connection.send(("memory", None))
    except BaseException as error:  # noqa: BLE001 - reported to the parent, whatever it is
        try:
            connection.send(("error", error))
        except Exception:  # the error itself cannot be pickled
            connection.send(("error", RuntimeError(repr(error))))
    finally:
        connection.close()


def run_with_ceiling[T](
    work: Callable[[Send], T],
    *,
    memory_bytes: int,
    seconds: float,
    on_message: Callable[[Any], None] | None = None,
) -> Outcome[T]:
    """Run `work(send)` in a child process; its result, or CeilingExceeded.

    An exception raised by `work` is raised again here.
    """
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(sending, work, memory_bytes, seconds), daemon=True
    )
    process.start()
    sending.close()
    deadline = time.monotonic() + seconds
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not receiving.poll(remaining):
                raise CeilingExceeded("time", f"more than {seconds:.0f} s")
            try:
                kind, payload = receiving.recv()
            except EOFError:
                process.join(5)
                code = process.exitcode
                if code == -signal.SIGXCPU:
                    raise CeilingExceeded("time", "CPU limit") from None
                # Rust and C code abort when an allocation fails; the kernel kills.
                if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
                    raise CeilingExceeded("memory", f"exit {code}") from None
                raise CeilingExceeded("crash", f"exit {code}") from None
            if kind == "message":
                if on_message is not None:
                    on_message(payload)
                continue
            if kind == "done":
                result: Outcome[T] = payload
                return result
            if kind == "memory":
                raise CeilingExceeded("memory", "MemoryError")
            raise payload
    finally:
        receiving.close()
        if process.is_alive():
            process.kill()
        process.join(5)
        # The child is gone: nothing of it stays in the process table.
        if process.exitcode is not None:
            process.close()
