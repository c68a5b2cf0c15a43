"""Typed dependencies: the config, the store and the outside services the app opened at startup."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mail_lint.checks import Services
from mail_lint.config import Config
from mail_lint.store import Store
from mail_lint.team import Teaching, TeachingSource


def get_config(request: Request) -> Config:
    return request.app.state.config


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_services(request: Request) -> Services:
    return request.app.state.services


def get_teaching_source(request: Request) -> TeachingSource:
    return request.app.state.teaching


def get_teaching(request: Request) -> Teaching:
    """What the team taught, as this worker last loaded it (looked up again every `[rules] refresh_seconds`)."""
    return request.app.state.teaching.current()


ConfigDep = Annotated[Config, Depends(get_config)]
StoreDep = Annotated[Store, Depends(get_store)]
ServicesDep = Annotated[Services, Depends(get_services)]
TeachingSourceDep = Annotated[TeachingSource, Depends(get_teaching_source)]
TeachingDep = Annotated[Teaching, Depends(get_teaching)]
