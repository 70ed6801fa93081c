"""An OCDS package fetched from the address given in a small file: served here by a
local HTTP server, which tests may reach through the OCDS_FETCH_ALLOW_LOOPBACK setting;
private and local addresses are refused before any connection."""

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cfit.monitoring import ocds_fetch
from cfit.monitoring.ocds_fetch import FetchRefused, fetch_package, link_in

PACKAGE = Path(__file__).parent / "data" / "ocds_release_package.json"
UPLOAD = "/reports/city-of-alphen/2025/ocds/"
COMPLETE = "/reports/city-of-alphen/2025/ocds/complete/"


class _Portal(BaseHTTPRequestHandler):
    """/package.json, /page (HTML), /big, /slow, /to-metadata, /to-package, /missing."""

    def do_GET(self) -> None:
        routes = {
            "/package.json": (200, "application/json", PACKAGE.read_bytes()),
            "/package-ocds": (
                200,
                "application/vnd.ocds+json; charset=utf-8",
                PACKAGE.read_bytes(),
            ),
            "/page": (200, "text/html", b"<html>Sign in</html>"),
            "/big": (200, "application/json", b" " * 5000),
        }
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path in ("/to-metadata", "/to-package", "/loop"):
            target = {
                "/to-metadata": "http://169.254.169.254/latest/meta-data/",
                "/to-package": "/package.json",
                "/loop": "/loop",
            }[self.path]
            self.send_response(302)
            self.send_header("Location", target)
            self.end_headers()
            return
        status, kind, body = routes.get(self.path, (404, "text/plain", b"Not found"))
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def portal(settings):
    settings.OCDS_FETCH_ALLOW_LOOPBACK = True
    settings.OCDS_FETCH_TIMEOUT_SECONDS = 1
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Portal)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _refusal(url: str) -> str:
    with pytest.raises(FetchRefused) as refused:
        fetch_package(url)
    return str(refused.value)


def test_a_link_file_is_a_text_file_or_json_with_the_address_and_nothing_else():
    assert link_in(b"https://portal.example/ocds/package.json\n") == (
        "https://portal.example/ocds/package.json"
    )
    assert link_in(b'{"url": " https://portal.example/p.json "}') == (
        "https://portal.example/p.json"
    )
    assert link_in(PACKAGE.read_bytes()) is None
    assert link_in(b"see https://portal.example/p.json") is None
    assert link_in(b'{"url": "https://a.example", "uri": "x"}') is None


def test_the_package_is_fetched_from_the_portal_and_redirects_are_followed(portal):
    assert fetch_package(f"{portal}/package.json") == PACKAGE.read_bytes()
    assert fetch_package(f"{portal}/to-package") == PACKAGE.read_bytes()
    assert fetch_package(f"{portal}/package-ocds") == PACKAGE.read_bytes()


@pytest.mark.django_db
def test_a_procurer_uploads_a_link_file_and_gets_the_proposed_lines(
    client, procurer_a, period, portal
):
    client.force_login(procurer_a)
    link = SimpleUploadedFile(
        "link.txt", f"{portal}/package.json".encode(), "text/plain"
    )
    response = client.post(UPLOAD, {"file": link})
    assert response.status_code == 302
    assert response["Location"] == COMPLETE
    pending = client.session["monitoring:ocds:city-of-alphen:2025"]
    assert pending["file"] == f"{portal}/package.json"
    assert len(pending["lines"]) == 3  # the same lines as the file uploaded itself


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.7/package.json",
        "https://192.168.1.20/package.json",
        "https://172.16.0.1/package.json",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/package.json",
        "https://[fd00::1]/package.json",
        "https://127.0.0.1/package.json",
        "https://0.0.0.0/package.json",
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url):
    assert "private or local network" in _refusal(url)


def test_a_name_that_resolves_to_a_private_address_is_refused(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert "private or local network" in _refusal("https://portal.example/p.json")


def test_a_redirect_to_a_private_address_is_refused_even_when_tests_allow_loopback(
    portal,
):
    assert "private or local network" in _refusal(f"{portal}/to-metadata")


def test_only_https_is_fetched_from_a_public_address(monkeypatch):
    def resolve(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    assert "https://" in _refusal("http://portal.example/p.json")
    assert "not a web address" in _refusal("ftp://portal.example/p.json")


def test_a_web_page_a_missing_file_a_large_file_a_slow_portal_and_a_loop_are_refused(
    portal, monkeypatch
):
    assert "text/html, not a JSON file" in _refusal(f"{portal}/page")
    assert "404 Not Found" in _refusal(f"{portal}/missing")
    assert "more than 3 times" in _refusal(f"{portal}/loop")
    assert "within 1 second" in _refusal(f"{portal}/slow")
    monkeypatch.setattr(ocds_fetch, "MAX_PACKAGE_BYTES", 1000)
    assert "larger than" in _refusal(f"{portal}/big")


@pytest.mark.django_db
def test_a_refused_address_is_said_on_the_upload_page(client, procurer_a, period):
    client.force_login(procurer_a)
    link = SimpleUploadedFile("link.txt", b"https://10.0.0.7/p.json", "text/plain")
    response = client.post(UPLOAD, {"file": link})
    assert response.status_code == 200
    assert "private or local network" in response.content.decode()
