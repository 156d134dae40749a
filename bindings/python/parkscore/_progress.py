"""Progress reporting for long computations.

Functions that run a long loop take ``progress``:

* ``None`` or ``False`` — no reporting (the default);
* ``True`` — a tqdm bar if tqdm is installed, otherwise nothing;
* a callable ``progress(done, total)`` — called from the loop (with the GIL
  held) as work completes; an exception it raises (KeyboardInterrupt included)
  stops the computation and propagates.

The compiled loop runs without the GIL and re-acquires it only to call back.
"""

from __future__ import annotations

from typing import Callable, Optional, Union

ProgressCallback = Callable[[int, int], None]
Progress = Union[None, bool, ProgressCallback]


class _TqdmProgress:
    """Adapts progress(done, total) calls to a tqdm bar, created on the first call."""

    def __init__(self, tqdm_class, desc: str) -> None:
        self._tqdm = tqdm_class
        self._desc = desc
        self._bar = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = self._tqdm(total=total, desc=self._desc)
        self._bar.update(done - self._bar.n)
        if done >= total:
            self._bar.close()


def resolve(progress: Progress, desc: str) -> Optional[ProgressCallback]:
    """The callable to hand to the compiled core for ``progress``, or None."""
    if progress is None or progress is False:
        return None
    if progress is True:
        try:
            from tqdm.auto import tqdm
        except ImportError:
            return None
        return _TqdmProgress(tqdm, desc)
    if callable(progress):
        return progress
    raise TypeError(f"progress must be None, a bool or a callable(done, total), not {type(progress).__name__}")
