"""One digest run over many alert subscriptions: its time and its peak memory.

    python -m bench.digest --subscriptions 100000 [--tracemalloc]

Django settings come from the environment (a database of its own, with the resources
of `manage.py generate_scale_data`). The subscriptions are made first by
`manage.py generate_alert_data` (not timed); the run then sends every digest due the
way the hourly job does (alerts/digest.py), with the e-mails sent inline to Django's
dummy backend: what is measured is the claiming, the saved searches, the rendering of
the messages and the marks, not a mail server. Prints one JSON line: the alerts
checked, the e-mails, the seconds, the peak resident memory of the process before and
after the run (resource.getrusage), and with --tracemalloc the peak of Python
allocations during the run (slower: tracing costs about twice the time)."""

import argparse
import io
import json
import os
import resource
import sys
import time
import tracemalloc


def max_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rameau_site.settings")
    # E-mails sent inline, to a backend that drops them.
    os.environ["DJANGO_EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ["RAMEAU_TASKS_IMMEDIATE"] = "1"
    import django

    django.setup()
    from django.core.management import call_command

    from alerts.digest import digests_send
    from resources.index import library_index

    out = io.StringIO()
    call_command("generate_alert_data", subscriptions=args.subscriptions, stdout=out)
    library_index()  # built once, as a worker keeps it: not part of the digest's time
    rss_before = max_rss_mb()
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    run = digests_send()
    seconds = time.perf_counter() - started
    result = {
        "subscriptions": args.subscriptions,
        "checked": run.checked,
        "sent": run.sent,
        "seconds": round(seconds, 1),
        "alerts_per_second": round(run.checked / seconds),
        "max_rss_mb_before": round(rss_before, 1),
        "max_rss_mb_after": round(max_rss_mb(), 1),
    }
    if args.tracemalloc:
        result["traced_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
        tracemalloc.stop()
    print(json.dumps(result))
    return 0 if run.checked == args.subscriptions else 1


if __name__ == "__main__":
    sys.exit(main())
