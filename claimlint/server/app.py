"""The web page and HTTP API behind ``claimlint serve``.

One spaCy pipeline per process (``claimlint.get_linter`` caches it); linting is serialised with a
lock because a spaCy pipeline is not meant to be shared between threads. Nothing submitted is
written to disk or logged. Bodies over ``max_body`` bytes get 413; malformed JSON and unknown
values get 422 naming the field. With a token, every request must carry it.
"""

from __future__ import annotations

import hmac
import json
import threading
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint

import claimlint
from claimlint.findings import MARKETS, Market, Report
from claimlint.report import render_with
from claimlint.report.json import JsonReport
from claimlint.sources import kind_of, source_from_text

DEFAULT_MAX_BODY = 1_000_000
_LOCK = threading.Lock()


class CheckRequest(BaseModel):
    """Copy to check, and for where."""

    model_config = ConfigDict(extra="forbid")

    text: Annotated[
        str, Field(description="The copy: plain text, Markdown, HTML or a CSV/JSONL catalog (see filename).")
    ]
    markets: Annotated[list[Market], Field(min_length=1)] = list(MARKETS)
    product_type: Literal["cosmetic", "supplement"] = "cosmetic"
    format: Literal["json", "sarif", "html"] = "json"
    filename: Annotated[
        str | None, Field(description="Name that picks the format (page.md, page.html, feed.csv); default plain text.")
    ] = None


class BatchRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1)]
    text: str
    product_type: Literal["cosmetic", "supplement"] | None = None


class BatchRequest(BaseModel):
    """Catalog rows, each checked on its own; findings carry the row id."""

    model_config = ConfigDict(extra="forbid")

    rows: Annotated[list[BatchRow], Field(min_length=1, max_length=10_000)]
    markets: Annotated[list[Market], Field(min_length=1)] = list(MARKETS)
    product_type: Literal["cosmetic", "supplement"] = "cosmetic"
    format: Literal["json", "sarif"] = "json"


class RuleSummary(BaseModel):
    id: str
    category: str
    title: str
    severities: dict[str, str]


class RuleDetail(RuleSummary):
    message: str
    rationale: str
    suggestion: str
    citations: dict[str, list[dict[str, str]]]
    examples: dict[str, list[str]]


class _BodyLimit(BaseHTTPMiddleware):
    def __init__(self, app: Any, max_body: int) -> None:
        super().__init__(app)
        self.max_body = max_body

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        length = request.headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > self.max_body:
            return JSONResponse({"detail": f"request body over {self.max_body} bytes"}, status_code=413)
        if request.method in ("POST", "PUT", "PATCH") and length is None:
            body = b""
            async for chunk in request.stream():
                body += chunk
                if len(body) > self.max_body:
                    return JSONResponse({"detail": f"request body over {self.max_body} bytes"}, status_code=413)
            request._body = body  # noqa: SLF001 - hand the read body on to the endpoint
        return await call_next(request)


class _Token(BaseHTTPMiddleware):
    def __init__(self, app: Any, token: str) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or request.query_params.get(
            "token", ""
        )
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return JSONResponse({"detail": "missing or wrong token"}, status_code=401)
        return await call_next(request)


def create_app(token: str | None = None, max_body: int = DEFAULT_MAX_BODY) -> FastAPI:
    app = FastAPI(
        title="claimlint",
        version=claimlint.__version__,
        description="Find claims in cosmetic and supplement copy that the US, EU and UK do not allow. "
        "Compliance guidance, not legal advice.",
        docs_url=None,
        redoc_url=None,
    )
    app.add_middleware(_BodyLimit, max_body=max_body)
    if token:
        app.add_middleware(_Token, token=token)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        first = errors[0] if errors else {"loc": (), "msg": "invalid request"}
        field = ".".join(str(p) for p in first.get("loc", ()) if p != "body")
        return JSONResponse(
            {"detail": f"{field or 'body'}: {first.get('msg')}", "errors": json.loads(json.dumps(errors, default=str))},
            status_code=422,
        )

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request) -> HTMLResponse:
        return HTMLResponse(_page(token=token if token else ""))

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs() -> HTMLResponse:
        return HTMLResponse(_docs_page(app.openapi()))

    @app.get("/healthz", summary="Liveness: the pipeline is built and answers")
    def healthz() -> dict[str, str]:
        _linter(tuple(MARKETS), "cosmetic")
        return {"status": "ok", "version": claimlint.__version__}

    @app.post(
        "/api/v1/check",
        summary="Check copy",
        response_model=JsonReport,
        responses={200: {"content": {"application/sarif+json": {}, "text/html": {}}}},
    )
    def check(body: CheckRequest) -> Response:
        report = _check_text(body)
        return _respond(report, body.format)

    @app.post("/api/v1/check-batch", summary="Check catalog rows", response_model=JsonReport)
    def check_batch(body: BatchRequest) -> Response:
        linter = _linter(tuple(body.markets), body.product_type)
        report = Report(markets=list(body.markets))
        from claimlint.sources.base import Source
        from claimlint.sources.plain import split_blocks

        sources = [
            Source("<batch>", row.text, split_blocks(row.text), row.product_type, row.id, "text") for row in body.rows
        ]
        with _LOCK:
            for _, findings in linter.lint_many(sources):
                for f in findings:
                    report.add(f)
        report.files.append("<batch>")
        report.rows = len(body.rows)
        return _respond(report, body.format)

    @app.get("/api/v1/rules", summary="Every rule", response_model=list[RuleSummary])
    def rules() -> list[RuleSummary]:
        book = _linter(tuple(MARKETS), "cosmetic").rulebook
        return [
            RuleSummary(
                id=r.id,
                category=r.category,
                title=r.title,
                severities={m: r.markets.get(m).severity.value for m in MARKETS},
            )
            for r in book.rules
        ]

    @app.get("/api/v1/rules/{rule_id}", summary="One rule: why, references, examples", response_model=RuleDetail)
    def rule(rule_id: str) -> RuleDetail:
        book = _linter(tuple(MARKETS), "cosmetic").rulebook
        try:
            r = book.rule(rule_id)
        except KeyError:
            raise HTTPException(status_code=404, detail=f"unknown rule {rule_id!r}") from None
        return RuleDetail(
            id=r.id,
            category=r.category,
            title=r.title,
            severities={m: r.markets.get(m).severity.value for m in MARKETS},
            message=r.message,
            rationale=" ".join(r.rationale.split()),
            suggestion=r.suggestion,
            citations={
                m: [
                    {"id": c, "reference": book.citations[c].reference, "url": book.citations[c].url}
                    for c in r.markets.get(m).cite
                ]
                for m in MARKETS
            },
            examples={"flag": list(r.examples.flag), "pass": list(r.examples.pass_)},
        )

    return app


def app_from_environment() -> FastAPI:
    """The app for ``claimlint serve --workers N``: each worker process builds its own pipeline."""
    import os

    from claimlint.engine import freeze_heap

    claimlint.get_linter()
    freeze_heap()
    max_body = int(os.environ.get("CLAIMLINT_SERVE_MAX_BODY", DEFAULT_MAX_BODY))
    return create_app(token=os.environ.get("CLAIMLINT_TOKEN") or None, max_body=max_body)


def _linter(markets: tuple[str, ...], product_type: str) -> claimlint.Linter:
    return claimlint.get_linter(markets=markets, product_type=product_type)


def _check_text(body: CheckRequest) -> Report:
    linter = _linter(tuple(body.markets), body.product_type)
    name = body.filename or "copy.txt"
    report = Report(markets=list(body.markets))
    with _LOCK:
        if kind_of(name) == "catalog":
            import io

            from claimlint.runner import RunOptions, run
            from claimlint.sources.catalog import CatalogOptions

            stream = io.BytesIO(body.text.encode("utf-8"))
            run(
                linter,
                ["-"],
                RunOptions(stdin_filename=name, catalog=CatalogOptions(), retain_text=True, keep_text=True),
                stdin=stream,
                report=report,
            )
        else:
            source = source_from_text(name, body.text)
            for f in linter.lint_source(source):
                report.add(f)
            report.files.append(name)
            report.texts[name] = body.text
    return report


def _respond(report: Report, fmt: str) -> Response:
    book = claimlint.get_linter().rulebook
    if fmt == "json":
        return JSONResponse(json.loads(render_with("json", report, book)))
    if fmt == "sarif":
        return Response(render_with("sarif", report, book), media_type="application/sarif+json")
    return Response(render_with("html", report, book), media_type="text/html; charset=utf-8")


@lru_cache(maxsize=1)
def _template_env() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    return Environment(
        loader=PackageLoader("claimlint.server", "templates"), autoescape=select_autoescape(default=True)
    )


def _page(token: str) -> str:
    return str(
        _template_env().get_template("page.html.j2").render(version=claimlint.__version__, token=token, markets=MARKETS)
    )


def _docs_page(openapi: dict[str, Any]) -> str:
    return str(_template_env().get_template("docs.html.j2").render(api=openapi, spec=json.dumps(openapi, indent=2)))


__all__ = ["BatchRequest", "CheckRequest", "create_app"]
