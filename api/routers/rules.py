"""GET /v1/rules: the catalogue of checks and rules, generated from the checks' own docs, with each rule's
state in force; PATCH /v1/rules/{name}: the head switches a rule, over the config file, for every process."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, status
from fastapi.concurrency import run_in_threadpool

from mail_lint import team
from mail_lint.catalogue import catalogue
from mail_lint.config import Config
from mail_lint.store import StoreError

from ..auth import HeadIdentity
from ..deps import ConfigDep, StoreDep, TeachingDep, TeachingSourceDep
from ..schemas import ErrorOut, RulesOut, RuleSwitchIn, RuleSwitchOut

router = APIRouter(prefix="/v1", tags=["rules"])
# Behind a token: included by the app with the other token routes.
switch_router = APIRouter(prefix="/v1", tags=["rules"])


def _in_force(config: Config, check: str, rule: dict) -> dict:
    name = rule["name"].removesuffix(".*")  # "grammar.*": the state of the prefix
    enabled = config.check_wanted(check) and config.rule_enabled(name)
    return {**rule, "enabled": enabled, "effective_severity": config.severity_for(name, rule["severity"])}


@router.get("/rules", response_model=RulesOut)
async def list_rules(config: ConfigDep, teaching: TeachingDep, store: StoreDep) -> Any:
    """Every check and rule: code, name, default severity, what it checks, why, an example and the better form;
    whether it is on and its severity now (the config file with the head's switches over it); the switches."""
    config = teaching.applied(config)
    checks = [{**c, "rules": [_in_force(config, c["name"], r) for r in c["rules"]]} for c in catalogue()["checks"]]
    return {"checks": checks, "switches": await run_in_threadpool(_named_switches, store)}


def _named_switches(store) -> dict | None:
    """The stored switches; None when the store cannot be read (the catalogue is still worth having)."""
    try:
        return {name: {"name": name, **switch} for name, switch in team.switches(store).items()}
    except StoreError:
        return None


@switch_router.patch("/rules/{name}", response_model=RuleSwitchOut,
                     responses={400: {"model": ErrorOut, "description": "the body cannot be read"},
                                401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 404: {"model": ErrorOut},
                                422: {"model": ErrorOut}})
async def switch_rule(name: Annotated[str, Path(min_length=1, max_length=200)], body: RuleSwitchIn,
                      identity: HeadIdentity, store: StoreDep, source: TeachingSourceDep) -> Any:
    """Turn a rule (or a check, or a prefix) on or off, or set its severity (head only). Every worker and the
    watcher pick it up within `[rules] refresh_seconds`; null returns that part to the config file."""
    changes = body.model_dump(include=body.model_fields_set)
    try:
        switch = await run_in_threadpool(lambda: team.set_switch(store, name, updated_by=identity.email, **changes))
    except LookupError as e:
        raise HTTPException(status.HTTP_404_NOT_FOUND, str(e).strip("'\"")) from None
    source.changed()
    return switch
