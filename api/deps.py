"""Typed dependencies: the config, the store and the outside services the app opened at startup."""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from mail_lint.checks import Services
from mail_lint.config import Config
from mail_lint.store import Store


def get_config(request: Request) -> Config:
    return request.app.state.config


def get_store(request: Request) -> Store:
    return request.app.state.store


def get_services(request: Request) -> Services:
    return request.app.state.services


ConfigDep = Annotated[Config, Depends(get_config)]
StoreDep = Annotated[Store, Depends(get_store)]
ServicesDep = Annotated[Services, Depends(get_services)]
