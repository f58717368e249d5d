"""Regenerate the screenshots the README shows (needs Playwright and Debian's Chromium).

    python docs/make_screenshots.py

Writes docs/images/serve.png (the `claimlint serve` page with the bundled example copy) and
docs/images/report.png (the HTML report of the bundled examples).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def main() -> None:
    IMAGES.mkdir(parents=True, exist_ok=True)
    copy = (ROOT / "examples" / "exosome-serum.txt").read_text(encoding="utf-8")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "claimlint", "serve", "--port", str(port)], stdout=subprocess.DEVNULL
    )
    report = Path(tempfile.mkdtemp()) / "report.html"
    subprocess.run(
        [sys.executable, "-m", "claimlint", "check", "--isolated", "-f", "html", "-o", str(report), "examples/exosome-serum.txt",
         "examples/site", "examples/catalog.csv", "--text-field", "name,description", "--id-field", "sku"],
        cwd=ROOT, check=False,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 820})
            page.goto(url + "/")
            page.fill("#copy", copy)
            page.wait_for_selector("mark.claim")
            page.locator("mark.claim").first.click()
            page.wait_for_timeout(200)
            page.screenshot(path=str(IMAGES / "serve.png"))
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            page.goto(report.as_uri())
            page.locator("mark.claim").first.click()
            page.screenshot(path=str(IMAGES / "report.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"wrote {IMAGES / 'serve.png'} and {IMAGES / 'report.png'}")


if __name__ == "__main__":
    main()
