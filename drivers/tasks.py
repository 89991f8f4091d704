"""Small asyncio helpers shared by the drivers and the simulators."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any


async def cancel_and_wait(task: asyncio.Task[Any] | None) -> None:
    """Cancel ``task`` (if any) and wait until it has finished.

    Args:
        task: the background task to stop; None is a no-op.

    The task's own ``CancelledError`` is swallowed; any other exception it raised
    while finishing propagates.
    """
    if task is None:
        return
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
