"""Background work of operations."""

import os
import socket

from django.tasks import task
from django.utils import timezone


@task
def heartbeat() -> dict[str, object]:
    """Proves the task queue end to end: which worker process took it, and when.

    Enqueue one (`heartbeat.enqueue()`) to see that a worker on some machine picks
    up work; the result names the host and process that ran it.
    """
    return {
        "host": socket.gethostname(),
        "pid": os.getpid(),
        "ran_at": timezone.now().isoformat(),
    }
