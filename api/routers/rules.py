"""GET /v1/rules: the catalogue of checks and rules, generated from the checks' own docs."""
from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from typing import Any

from fastapi import APIRouter

from mail_lint.registry import load_checks

from ..schemas import RulesOut

router = APIRouter(prefix="/v1", tags=["rules"])


@lru_cache(maxsize=1)
def catalogue() -> dict[str, Any]:
    return {"checks": [{"name": c.name, "doc": (c.doc or "").strip(), "weight": c.weight, "options": c.options,
                        "rules": [asdict(r) for r in c.rules]} for c in load_checks()]}


@router.get("/rules", response_model=RulesOut)
def list_rules() -> Any:
    """Every check and rule: code, name, default severity, what it checks, why, an example and the better form."""
    return catalogue()
