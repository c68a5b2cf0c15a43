"""Liveness (`/healthz`: the process answers), readiness (`/readyz`: store writable, LanguageTool up) and
`/metrics` (Prometheus)."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from mail_lint.metrics import CONTENT_TYPE, exposition

from ..deps import ConfigDep, ServicesDep, StoreDep
from ..readiness import grammar_enabled, languagetool_status, store_status
from ..schemas import HealthOut, ReadyOut

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut)
async def healthz() -> Any:
    """The process is up and serving."""
    return {"status": "ok"}


@router.get("/readyz", response_model=ReadyOut, responses={503: {"model": ReadyOut}})
async def readyz(config: ConfigDep, services: ServicesDep, store: StoreDep) -> Any:
    """503 unless the store takes a write and, when grammar is enabled, LanguageTool answers."""
    store_ok, store_detail = await run_in_threadpool(store_status, store)
    lt_ok, lt_detail = (await run_in_threadpool(languagetool_status, services)) if grammar_enabled(config) \
        else (True, "not needed: the grammar check is not enabled")
    body = {"ready": store_ok and lt_ok, "store": {"ok": store_ok, "detail": store_detail},
            "languagetool": {"ok": lt_ok, "detail": lt_detail}}
    return JSONResponse(body, status_code=200 if body["ready"] else 503)


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE: {}}}})
async def metrics() -> Response:
    """Prometheus metrics: checks and their latency, findings by rule, grammar availability, store errors
    (every worker's, added up). Open like /healthz: restrict it at the proxy if it must not be public."""
    return Response(await run_in_threadpool(exposition), media_type=CONTENT_TYPE)
