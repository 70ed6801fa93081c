"""Fetching an OCDS package from the address a procurer gives, with strict limits.

The platform asks another server for a file on a member's word, so the request must not
reach anything a member could not reach themselves (the platform's own network, cloud
metadata at 169.254.169.254, the database) nor hold a worker for long:

- https only; the host name is resolved once and every address it gives must be public
  (no private, loopback, link-local, multicast or reserved address); the connection goes
  to the address that was checked, never to a second lookup;
- redirections are followed by hand, at most a few, each checked the same way;
- a time limit for the whole fetch, a size limit (the upload's), a JSON content type.

Tests serve packages from a local server: the OCDS_FETCH_ALLOW_LOOPBACK setting lets
the fetch reach 127.0.0.1 (by plain http too). It is off everywhere else.
"""

import http.client
import ipaddress
import json
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .ocds import MAX_PACKAGE_BYTES, PackageRefused

MAX_REDIRECTS = 3
TIMEOUT_SECONDS = 20.0
MAX_LINK_FILE_BYTES = 4096
_JSON_TYPES = ("application/json", "text/json")


class FetchRefused(PackageRefused):
    """The address was not fetched, or its answer was refused: said in words."""


@dataclass(frozen=True)
class _Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the checked IP address the connection goes to


def link_in(content: bytes) -> str | None:
    """The address in a small file that only gives one: a text file holding the URL,
    or JSON such as {"url": "https://..."}. None for anything else (a package itself)."""
    if len(content) > MAX_LINK_FILE_BYTES:
        return None
    try:
        text = content.decode("utf-8-sig").strip()
    except UnicodeDecodeError:
        return None
    if text.startswith("{"):
        try:
            found = json.loads(text)
        except ValueError:
            return None
        url = found.get("url") if isinstance(found, dict) and len(found) == 1 else None
        return url.strip() if isinstance(url, str) else None
    if text.lower().startswith(("http://", "https://")) and len(text.split()) == 1:
        return text
    return None


def _allow_loopback() -> bool:
    return bool(getattr(settings, "OCDS_FETCH_ALLOW_LOOPBACK", False))


def _refuse_address(address: str) -> None:
    ip = ipaddress.ip_address(address.split("%")[0])
    if ip.is_loopback and _allow_loopback():
        return
    if not ip.is_global or ip.is_multicast:
        raise FetchRefused(
            _(
                "The address leads to a private or local network, which the platform "
                "does not fetch from. Give the public address of the file on your "
                "portal."
            )
        )


def _target(url: str) -> _Target:
    """The checked place to connect to, or FetchRefused saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise FetchRefused(
            _("This is not a web address: %(url)s") % {"url": url[:200]}
        ) from None
    host = parts.hostname or ""
    scheme = parts.scheme.lower()
    if not host or scheme not in ("http", "https"):
        raise FetchRefused(_("This is not a web address: %(url)s") % {"url": url[:200]})
    if parts.username or parts.password:
        raise FetchRefused(_("The address may not hold a user name or a password."))
    try:
        found = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchRefused(
            _("No server answers to the name %(host)s. Check the address.")
            % {"host": host[:100]}
        ) from None
    addresses = [str(info[4][0]) for info in found]
    for address in addresses:
        _refuse_address(address)
    loopback = all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses)
    if scheme != "https" and not (loopback and _allow_loopback()):
        raise FetchRefused(
            _(
                "The address must start with https://, so that the file arrives unchanged."
            )
        )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default_port = 443 if scheme == "https" else 80
    return _Target(scheme, host, port or default_port, path, addresses[0])


class _CheckedHTTPConnection(http.client.HTTPConnection):
    """Connects to the address that was checked, whatever the name resolves to now."""

    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _CheckedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: _Target, timeout: float) -> None:
        super().__init__(
            target.host,
            target.port,
            timeout=timeout,
            context=ssl.create_default_context(),
        )
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the name that was given.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def _too_slow() -> FetchRefused:
    seconds = int(_timeout())
    return FetchRefused(
        ngettext(
            "The portal did not send the file within %(seconds)s second. Try again later.",
            "The portal did not send the file within %(seconds)s seconds. Try again later.",
            seconds,
        )
        % {"seconds": seconds}
    )


def _timeout() -> float:
    return float(getattr(settings, "OCDS_FETCH_TIMEOUT_SECONDS", TIMEOUT_SECONDS))


def _too_large() -> FetchRefused:
    return FetchRefused(
        _("The file at this address is larger than %(mb)s MB.")
        % {"mb": MAX_PACKAGE_BYTES // (1024 * 1024)}
    )


def fetch_package(url: str) -> bytes:
    """The bytes of the JSON file at the address, within the limits above."""
    deadline = time.monotonic() + _timeout()
    for _attempt in range(MAX_REDIRECTS + 1):
        target = _target(url)
        kind = (
            _CheckedHTTPSConnection
            if target.scheme == "https"
            else _CheckedHTTPConnection
        )
        connection = kind(target, timeout=max(0.1, deadline - time.monotonic()))
        try:
            connection.request(
                "GET",
                target.path,
                headers={
                    "Accept": "application/json",
                    "User-Agent": "cfit-ocds-import",
                },
            )
            response = connection.getresponse()
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location") or ""
                url = urljoin(url, location)
                continue
            return _body(response, deadline)
        except TimeoutError:
            raise _too_slow() from None
        except (OSError, http.client.HTTPException):
            raise FetchRefused(
                _("The portal at %(host)s could not be reached. Try again later.")
                % {"host": target.host[:100]}
            ) from None
        finally:
            connection.close()
    raise FetchRefused(
        _(
            "The address sends the request on more than %(count)s times. Give the "
            "address of the file itself."
        )
        % {"count": MAX_REDIRECTS}
    )


def _body(response: http.client.HTTPResponse, deadline: float) -> bytes:
    if response.status != 200:
        raise FetchRefused(
            _("The portal answered “%(status)s %(reason)s” instead of the file.")
            % {"status": response.status, "reason": response.reason[:60]}
        )
    kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
    if kind not in _JSON_TYPES and not kind.endswith("+json"):
        raise FetchRefused(
            _(
                "The address gives %(kind)s, not a JSON file. Give the address of the "
                "release or record package itself."
            )
            % {"kind": kind or _("a file of unknown type")}
        )
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > MAX_PACKAGE_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    while chunk := response.read(64 * 1024):
        size += len(chunk)
        if size > MAX_PACKAGE_BYTES:
            raise _too_large()
        if time.monotonic() > deadline:
            raise _too_slow()
        chunks.append(chunk)
    return b"".join(chunks)
