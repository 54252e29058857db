"""The worker pool: render the products that missed the cache, in worker processes when
there are several, and hand back their entries in plan order.

Each worker process holds one `WorkerState`, set by the pool's initializer: what rendering
needs (`render.RenderContext`) and its garbage-collection bookkeeping. Tasks go out as a
brief and its key and come back as a `TaskOutcome`, a value (exceptions do not all survive
the trip back from a worker process).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import pickle
import sys
import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from multiprocessing.queues import Queue
from typing import TYPE_CHECKING

from ..problems import ContentError, Problem
from .entry import ProductEntry
from .render import RenderContext, render_into_cache, template_problem

if TYPE_CHECKING:
    from ..models import Brief

log = logging.getLogger("policybrief")

#: Seconds of rendering after which a worker collects garbage in full (see render_task).
_COLLECT_AFTER = 1.0
#: ...and after this many lighter products in a row.
_COLLECT_EVERY = 10


@dataclass
class WorkerState:
    """What a worker process holds for every task."""

    context: RenderContext
    #: A pool worker collects garbage itself (see render_task); the build's own process
    #: rendering serially leaves that to the defaults.
    collect: bool = False
    #: Light products rendered since the last full collection.
    light: int = 0


@dataclass(frozen=True)
class Task:
    """One product to render: its brief, its cache key, and a guess at its cost."""

    brief: Brief
    key: str
    cost: float


@dataclass(frozen=True)
class TaskOutcome:
    """A rendered product's entry, or the content problems, or the error that stopped it."""

    entry: ProductEntry | None = None
    problems: tuple[Problem, ...] = ()
    error: BaseException | None = None

    def result(self) -> ProductEntry:
        """The entry; raise what stopped the render otherwise."""
        if self.entry is not None:
            return self.entry
        if self.problems:
            raise ContentError(list(self.problems))
        raise self.error or RuntimeError("a render gave no result")


_state: WorkerState | None = None


def init_worker(context: RenderContext, log_queue: Queue[logging.LogRecord | None] | None = None) -> None:
    global _state
    _state = WorkerState(context)
    if log_queue is not None:  # a pool worker, not the build's own process
        # The corpus lives as long as the worker: keep the collector from scanning it again
        # and again while WeasyPrint allocates (and, after fork, from touching its pages);
        # collect rarely while a product renders, and fully after each (see render_task).
        # Measured on 66 products: 15% faster than the defaults, and a quarter less memory.
        gc.collect()
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        _state.collect = True
        # Workers report through the parent's loggers, so that the CLI prints their
        # warnings once and tests that watch WeasyPrint's logger see them.
        import signal
        from logging.handlers import QueueHandler

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        for logger in [logging.getLogger(), *logging.Logger.manager.loggerDict.values()]:
            if isinstance(logger, logging.Logger):
                logger.handlers.clear()
                if logger.name != "root":
                    logger.propagate = True
        logging.getLogger().addHandler(QueueHandler(log_queue))


def render_task(brief: Brief, key: str) -> TaskOutcome:
    """Render one product into the cache, in this process's worker state."""
    state = _state
    assert state is not None, "init_worker first"
    started = time.perf_counter()
    try:
        return TaskOutcome(entry=render_into_cache(state.context, brief, key))
    except ContentError as exc:
        return TaskOutcome(problems=tuple(exc.problems))
    except Exception as exc:
        problem = template_problem(state.context.options, exc)
        if problem is not None:
            return TaskOutcome(problems=(problem,))
        try:
            pickle.loads(pickle.dumps(exc))
        except Exception:
            exc = RuntimeError(f"{exc.__class__.__name__}: {exc}")
        return TaskOutcome(error=exc)
    finally:
        # A full collection frees a PDF's pages and boxes (reference cycles) before the next
        # product, but costs about 50 ms however little there is to free (WeasyPrint's and
        # matplotlib's module objects are not frozen). So: after every heavy product, and
        # after every tenth light one (an HTML-only digest renders in 6 ms; a digest PDF's
        # garbage, left to the generational collector, took a worker to 1.7 GiB).
        if state.collect:
            state.light += 1
            if time.perf_counter() - started > _COLLECT_AFTER or state.light >= _COLLECT_EVERY:
                state.light = 0
                gc.collect()


def render(context: RenderContext, todo: list[Task], jobs: int) -> list[tuple[str, ProductEntry]]:
    """Render every product in `todo`; return (id, entry) in plan order, logging in plan
    order too whatever order the workers finish in."""
    global _state
    if not todo:
        return []
    jobs = jobs or _cpu_count()
    if jobs <= 1 or len(todo) == 1:
        init_worker(context)
        try:
            out = []
            for task in todo:
                out.append((task.brief.id, render_task(task.brief, task.key).result()))
                _log_rendered(len(out), len(todo), task.brief.id, out[-1][1])
            return out
        finally:
            _state = None
    return _render_in_pool(context, todo, min(jobs, len(todo)))


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _log_rendered(done: int, total: int, brief_id: str, entry: ProductEntry) -> None:
    """One product rendered, in plan order: `progress` lets a terminal show it as a counter
    on one line (the CLI's handler); elsewhere it is a plain line."""
    log.info(
        "  [%d/%d] %-44s rendered, %d files",
        done,
        total,
        brief_id,
        len(entry.files),
        extra={"progress": (done, total, brief_id)},
    )
    log.debug("  %-44s %.2f s", "", entry.seconds)


def _pool_context() -> multiprocessing.context.BaseContext:
    # fork hands the loaded corpus to the workers without copying it; from Python 3.12 on,
    # forking a process that runs threads (serve's HTTP server) is deprecated.
    if sys.platform == "linux" and (threading.active_count() == 1 or sys.version_info < (3, 12)):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn" if sys.platform == "win32" else "forkserver")


def _render_in_pool(context: RenderContext, todo: list[Task], workers: int) -> list[tuple[str, ProductEntry]]:
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    ctx = _pool_context()
    log_queue: Queue[logging.LogRecord | None] = ctx.Queue()
    executor = ProcessPoolExecutor(
        workers, mp_context=ctx, initializer=init_worker, initargs=(context, log_queue)
    )
    relay = threading.Thread(target=_relay_logs, args=(log_queue,), daemon=True)
    results: dict[int, TaskOutcome] = {}
    first_failure: int | None = None
    try:
        # Longest first, so that no long product starts last.
        futures: dict[Future[TaskOutcome], int] = {}
        for i in sorted(range(len(todo)), key=lambda i: (-todo[i].cost, i)):
            futures[executor.submit(render_task, todo[i].brief, todo[i].key)] = i
        relay.start()  # after the workers are forked
        pending = set(futures)
        logged = 0
        while pending:
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                i = futures[future]
                try:
                    results[i] = future.result()
                except Exception as exc:  # a worker died (BrokenProcessPool) or the like
                    results[i] = TaskOutcome(error=exc)
                if results[i].entry is None and (first_failure is None or i < first_failure):
                    first_failure = i
            while logged in results and results[logged].entry is not None:
                logged += 1
                _log_rendered(logged, len(todo), todo[logged - 1].brief.id, results[logged - 1].result())
            # Report the first failing product in plan order, as a serial build would: wait
            # for the products before it, drop those after it.
            if first_failure is not None and all(j in results for j in range(first_failure)):
                break
        if first_failure is None:
            executor.shutdown()  # the workers exit, flushing what they logged
    except BaseException:
        _stop(executor)
        raise
    finally:
        if first_failure is not None:
            _stop(executor)
        with contextlib.suppress(Exception):
            log_queue.put(None)
            if relay.is_alive():
                relay.join(timeout=5)
    if first_failure is not None:
        results[first_failure].result()
    return [(todo[i].brief.id, results[i].result()) for i in range(len(todo))]


def _stop(executor: Executor) -> None:
    """Stop at once: cancel what has not started and end the workers."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    executor.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        with contextlib.suppress(Exception):
            process.terminate()
    for process in processes:
        with contextlib.suppress(Exception):
            process.join(timeout=5)


def _relay_logs(log_queue: Queue[logging.LogRecord | None]) -> None:
    while True:
        try:
            record = log_queue.get()
        except (EOFError, OSError, ValueError):
            return
        if record is None:
            return
        logging.getLogger(record.name).handle(record)
