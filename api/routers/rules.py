"""GET /v1/rules: the catalogue of checks and rules, generated from the checks' own docs."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from mail_lint.catalogue import catalogue

from ..schemas import RulesOut

router = APIRouter(prefix="/v1", tags=["rules"])


@router.get("/rules", response_model=RulesOut)
def list_rules() -> Any:
    """Every check and rule: code, name, default severity, what it checks, why, an example and the better form."""
    return catalogue()
