"""The HTML report in a real browser: headless Chromium (Debian's package) driven by Playwright.

Skipped when Playwright or Chromium is missing, unless CLAIMLINT_REQUIRE_BROWSER=1 (CI sets it),
in which case their absence is a failure.
"""

from __future__ import annotations

from pathlib import Path

COPY = """\
# Night Repair Serum

Our serum stimulates collagen production and treats acne.

<script>window.pwned = true; document.title = "pwned";</script>

> "My eczema is completely gone," says Ana.

Clinically proven, 100% pure.
"""


def test_report_in_a_browser(chromium, run, tmp_path: Path) -> None:
    import json

    page_md = tmp_path / "serum.md"
    page_md.write_text(COPY, encoding="utf-8")
    report = tmp_path / "report.html"
    findings = json.loads(run(["check", "--isolated", "-f", "json", str(page_md)]).out)["findings"]
    assert run(["check", "--isolated", "-f", "html", "-o", str(report), str(page_md)]).code == 1

    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(report.as_uri())

    assert page.locator("mark.claim").count() == len(findings) > 0
    assert page.evaluate("window.pwned === undefined") and page.title() != "pwned"  # the copy's <script> never ran
    assert (
        '<script>window.pwned = true; document.title = "pwned";</script>' in page.locator("pre.copy").first.inner_text()
    )

    collagen = page.locator("mark.claim", has_text="stimulates collagen production")
    collagen.click()
    detail = page.locator("#detail")
    assert "Claims the product makes the body produce collagen" in detail.inner_text()
    citation = detail.locator("a.citation", has_text="FD&C Act, §201(g)(1)(C)")
    assert citation.count() == 1
    assert citation.get_attribute("href") == "https://www.law.cornell.edu/uscode/text/21/321"
    assert "helps skin look firmer and plumper" in detail.inner_text()

    # The market filter: with only the EU ticked, the detail lists EU references only.
    page.uncheck("input.market[value=us]")
    page.uncheck("input.market[value=uk]")
    collagen.click()
    assert detail.locator("a.citation", has_text="Regulation (EC) No 1223/2009, Art. 20").count() == 1
    assert detail.locator("a.citation", has_text="FD&C Act").count() == 0
    page.uncheck("input.market[value=eu]")
    assert page.locator("mark.claim.off").count() == len(findings)  # no market selected: nothing highlighted

    page.check("input.market[value=us]")
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert errors == []
