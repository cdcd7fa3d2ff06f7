"""Progress of long commands (scale data, demo load, link checks, backups).

On a terminal: tqdm's bar with count, rate and ETA. Anywhere else (a log, CI, a cron
mail): the same figures as one plain line every few seconds, never a carriage return."""

import time

from tqdm import tqdm

# A log gets a line at most this often, plus the last one.
LOG_INTERVAL = 5.0


class _LineWriter:
    """A file for tqdm that turns its redrawn status into whole lines."""

    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        line = text.replace("\r", "").rstrip()
        if line:
            self.stream.write(line + "\n")

    def flush(self):
        self.stream.flush()


def _is_terminal(stream) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def progress(iterable=None, *, stream, total=None, desc="", unit="élément"):
    """A tqdm bar over `iterable` (or updated by hand with `.update(n)`), written to
    `stream` (a command's `self.stdout`)."""
    terminal = _is_terminal(stream)
    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=f" {unit}",
        file=stream if terminal else _LineWriter(stream),
        mininterval=0.1 if terminal else LOG_INTERVAL,
        # A log line is a snapshot, not a bar.
        bar_format=None
        if terminal
        else "{desc} : {n_fmt}/{total_fmt} ({rate_fmt}, reste {remaining})",
        dynamic_ncols=terminal,
        ascii=not terminal,
    )


class Heartbeat:
    """For work with no countable steps (a pg_dump): a line every few seconds with the
    elapsed time and, if given, a size read from `measure()`."""

    def __init__(self, stream, desc, measure=None, interval=LOG_INTERVAL):
        self.stream, self.desc, self.measure, self.interval = stream, desc, measure, interval
        self.started = self.last = time.monotonic()

    def tick(self, force=False):
        now = time.monotonic()
        if force or now - self.last >= self.interval:
            self.last = now
            extra = f", {self.measure()}" if self.measure else ""
            self.stream.write(f"{self.desc} : {now - self.started:.0f} s{extra}\n")
            self.stream.flush()
