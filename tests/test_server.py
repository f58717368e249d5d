"""`claimlint serve`: the HTTP API (same findings as the CLI), limits, tokens, concurrency, and the
page in a real browser."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import jsonschema
import pytest
from fastapi.testclient import TestClient

from claimlint.server.app import create_app

from conftest import ROOT, free_port, wait_until_healthy

SCHEMA = json.loads((ROOT / "docs" / "report.schema.json").read_text(encoding="utf-8"))
COPY = "Our serum stimulates collagen production. <script>alert(1)</script> Treats acne."


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_health(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "ok"


def test_check_returns_the_cli_json(client: TestClient, run) -> None:
    response = client.post("/api/v1/check", json={"text": COPY, "markets": ["us", "eu"]})
    assert response.status_code == 200
    report = response.json()
    jsonschema.validate(report, SCHEMA)
    cli = json.loads(
        run(
            ["check", "--isolated", "-f", "json", "-m", "us,eu", "--stdin-filename", "copy.txt", "-"],
            stdin=COPY.encode(),
        ).out
    )
    assert report["findings"] == cli["findings"]
    assert [f["rule_id"] for f in report["findings"]] == ["SF-COLLAGEN", "DIS-SKIN"]


def test_check_formats_and_file_kinds(client: TestClient) -> None:
    sarif = client.post("/api/v1/check", json={"text": COPY, "format": "sarif"})
    assert sarif.headers["content-type"].startswith("application/sarif+json") and sarif.json()["version"] == "2.1.0"
    html = client.post("/api/v1/check", json={"text": COPY, "format": "html"})
    assert html.text.startswith("<!doctype html>") and "<script>alert(1)</script>" not in html.text
    md = client.post("/api/v1/check", json={"text": "# Regrows hair\n\n`treats acne`", "filename": "page.md"}).json()
    assert [f["rule_id"] for f in md["findings"]] == ["DIS-HAIR-LOSS"]
    csv = client.post(
        "/api/v1/check", json={"text": "sku,description\nA1,Treats acne.\n", "filename": "feed.csv"}
    ).json()
    assert [(f["row"], f["field"]) for f in csv["findings"]] == [("1", "description")]


def test_supplement_product_type(client: TestClient) -> None:
    report = client.post(
        "/api/v1/check", json={"text": "Supports healthy collagen production.", "product_type": "supplement"}
    ).json()
    assert report["findings"][0]["markets"]["us"]["severity"] == "warning"


def test_check_batch(client: TestClient) -> None:
    rows = [
        {"id": "SKU-1", "text": "Regrows hair."},
        {"id": "SKU-2", "text": "A lovely scent."},
        {"id": "SKU-3", "text": "Supports joint health.", "product_type": "supplement"},
    ]
    report = client.post("/api/v1/check-batch", json={"rows": rows}).json()
    assert [f["row"] for f in report["findings"]] == ["SKU-1", "SKU-3"]
    assert report["summary"]["rows"] == 3


def test_rules(client: TestClient) -> None:
    rules = client.get("/api/v1/rules").json()
    assert len(rules) >= 60 and {"id", "category", "title", "severities"} <= set(rules[0])
    rule = client.get("/api/v1/rules/sf-collagen").json()
    assert rule["id"] == "SF-COLLAGEN" and rule["citations"]["us"][0]["url"].startswith("https://")
    assert client.get("/api/v1/rules/NOPE").status_code == 404


def test_openapi_and_offline_docs(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/v1/check", "/api/v1/check-batch", "/api/v1/rules", "/api/v1/rules/{rule_id}", "/healthz"} <= set(
        spec["paths"]
    )
    docs = client.get("/docs").text
    assert "/api/v1/check" in docs and "cdn" not in docs.lower()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": "x", "markets": ["fr"]}, "markets.0"),
        ({"text": "x", "product_type": "drug"}, "product_type"),
        ({"markets": ["us"]}, "text"),
        ({"text": "x", "colour": "red"}, "colour"),
    ],
)
def test_bad_values_are_422_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    response = client.post("/api/v1/check", json=body)
    assert response.status_code == 422 and response.json()["detail"].startswith(field)


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/check", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_big_bodies_are_413(client: TestClient) -> None:
    response = client.post("/api/v1/check", json={"text": "a" * 1_100_000})
    assert response.status_code == 413 and "over 1000000 bytes" in response.json()["detail"]
    small = TestClient(create_app(max_body=2_000))
    assert small.post("/api/v1/check", json={"text": "b" * 3_000}).status_code == 413


def test_token_is_required_on_every_request_when_set() -> None:
    client = TestClient(create_app(token="s3cret"))
    assert client.get("/").status_code == 401
    assert client.post("/api/v1/check", json={"text": "x"}).status_code == 401
    assert client.get("/healthz").status_code == 401
    assert client.get("/?token=s3cret").status_code == 200
    ok = client.post("/api/v1/check", json={"text": "Treats acne."}, headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 200 and ok.json()["findings"]
    assert 'data-token="s3cret"' in client.get("/?token=s3cret").text


def test_serve_refuses_other_hosts_without_a_token(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLAIMLINT_TOKEN", raising=False)
    result = run(["serve", "--host", "0.0.0.0"])
    assert result.code == 2 and "set --token" in result.err


@pytest.fixture(scope="module")
def live_server():
    """A real uvicorn server on a free loopback port, in this process, for concurrency."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url)
    yield url
    server.should_exit = True
    thread.join(timeout=10)


def test_twenty_simultaneous_requests_of_5000_words(live_server: str) -> None:
    sentence = "Our serum stimulates collagen production and leaves skin feeling soft. "
    text = sentence * (5000 // len(sentence.split()))
    assert len(text.split()) >= 4990

    def one(_: int) -> tuple[int, int]:
        response = httpx.post(f"{live_server}/api/v1/check", json={"text": text}, timeout=120)
        return response.status_code, len(response.json()["findings"])

    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(one, range(20)))
    assert results == [(200, 5000 // len(sentence.split()))] * 20


@pytest.fixture(scope="module")
def serve_process():
    """`claimlint serve` as users run it: a subprocess on a free loopback port."""
    import subprocess
    import sys

    port = free_port()
    command = [sys.executable, "-m", "claimlint", "serve", "--port", str(port)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    url = f"http://127.0.0.1:{port}"
    wait_until_healthy(url)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


def test_page_in_a_browser(serve_process: str, chromium, tmp_path: Path) -> None:
    from test_acceptance import FLAGGED

    expected = httpx.post(serve_process + "/api/v1/check", json={"text": FLAGGED}).json()["findings"]
    page = chromium.new_page(viewport={"width": 1400, "height": 900})
    page.goto(serve_process + "/")
    page.fill("#copy", FLAGGED + "\n\n<script>window.pwned=1</script>")
    page.wait_for_function(f"document.querySelectorAll('mark.claim').length === {len(expected)}")
    assert page.evaluate("window.pwned === undefined")
    assert "errors" in page.locator("#summary").inner_text()

    collagen = page.locator("mark.claim", has_text="stimulates collagen production")
    collagen.click()
    finding = page.locator("details.finding[open]")
    assert "FD&C Act, §201(g)(1)(C)" in finding.inner_text()
    assert finding.locator("a.citation").first.get_attribute("href", timeout=2000).startswith("https://")
    page.screenshot(path=str(tmp_path / "desktop.png"), full_page=True)

    finding.locator("button.apply").click()
    page.wait_for_function("document.getElementById('copy').value.includes('helps skin look firmer and plumper')")
    page.wait_for_function(f"document.querySelectorAll('mark.claim').length === {len(expected) - 1}")
    assert page.locator("mark.claim", has_text="stimulates collagen production").count() == 0

    page.uncheck("input.market[value=us]")
    page.fill("#copy", "Treats acne.")
    page.wait_for_function("document.getElementById('summary').textContent.includes('in EU')")
    assert "in US" not in page.locator("#summary").inner_text()
    page.fill("#copy", "A light citrus scent you will love.")
    page.wait_for_function("document.getElementById('summary').textContent.startsWith('No claims found')")

    phone = chromium.new_page(viewport={"width": 390, "height": 844})
    phone.goto(serve_process + "/")
    phone.fill("#copy", FLAGGED)
    phone.wait_for_selector("mark.claim")
    phone.screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    assert (tmp_path / "desktop.png").stat().st_size > 10_000 and (tmp_path / "phone.png").stat().st_size > 10_000
