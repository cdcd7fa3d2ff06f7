"""Checking the library's external links (run by `manage.py check_links`, never in a
web request): HEAD first, GET when a server refuses HEAD, with timeouts and a polite
user agent, several sites at once."""

import socket
import ssl
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.client import HTTPException
from urllib.error import HTTPError, URLError
from urllib.request import Request, urlopen

from django.db import transaction
from django.utils import timezone

from resources.models import Resource

USER_AGENT = (
    "RessourcesCoConstructionBot/1.0 (verification des liens du centre de ressources ; "
    "une requete par lien et par passage)"
)


@dataclass(frozen=True)
class LinkResult:
    url: str
    status: int | None  # the final HTTP status, None when no answer
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and self.status < 400


def request_status(url: str, method: str, timeout: float) -> int:
    request = Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) only, checked)
            if method == "GET":
                response.read(1024)
            return response.status
    except HTTPError as error:
        return error.code


def check_url(url: str, *, timeout: float = 10.0) -> LinkResult:
    if not url.lower().startswith(("http://", "https://")):
        return LinkResult(url, None, "adresse non web")
    try:
        status = request_status(url, "HEAD", timeout)
        if status >= 400:  # many servers refuse or mishandle HEAD
            status = request_status(url, "GET", timeout)
        return LinkResult(url, status)
    except TimeoutError:
        return LinkResult(url, None, "délai dépassé")
    except ssl.SSLError as error:
        return LinkResult(url, None, f"certificat : {error.reason or error}"[:200])
    except URLError as error:
        reason = error.reason
        if isinstance(reason, TimeoutError | socket.timeout):
            return LinkResult(url, None, "délai dépassé")
        return LinkResult(url, None, f"inaccessible : {reason}"[:200])
    except (HTTPException, OSError, ValueError) as error:
        return LinkResult(url, None, f"erreur : {error}"[:200])


def links_check(
    *, resources=None, timeout: float = 10.0, workers: int = 8, track=None
) -> list[LinkResult]:
    """Check each distinct external URL once and record the result on every resource
    that has it. Returns the results. `track(iterable, total)` may wrap the checks to
    show progress."""
    if resources is None:
        resources = Resource.objects.all()
    urls = sorted(set(resources.exclude(external_url="").values_list("external_url", flat=True)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        checks = pool.map(lambda url: check_url(url, timeout=timeout), urls)
        results = list(track(checks, len(urls)) if track else checks)
    checked_at = timezone.now()
    with transaction.atomic():
        for result in results:
            # update(): a link check is not an editorial change, it makes no history entry
            Resource.objects.filter(external_url=result.url).update(
                link_status=result.status, link_error=result.error, link_checked_at=checked_at
            )
    return results
