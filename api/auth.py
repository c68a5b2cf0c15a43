"""Bearer-token dependencies: who is asking, and whether their role allows it.

No or unknown token: 401. A role that may not do this: 403. A manager reading another manager's
verdict by id gets 404, the same as a verdict that does not exist, so ids reveal nothing.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mail_lint.tokens import Identity, find_identity

from .deps import StoreDep

_bearer = HTTPBearer(auto_error=False, description="a token from `mail-lint token create`")


async def current_identity(store: StoreDep,
                           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Identity:
    """Any valid token."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "no token: send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    identity = await run_in_threadpool(find_identity, store, credentials.credentials)
    if identity is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "unknown token",
                            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})
    return identity


async def head_identity(identity: Annotated[Identity, Depends(current_identity)]) -> Identity:
    """Only the head of sales (e.g. the digest, every manager's verdicts)."""
    if not identity.is_head:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "this needs a head token")
    return identity


def may_read(identity: Identity, sender: str) -> bool:
    """A head reads every verdict; a manager only verdicts on mail sent from their own address."""
    return identity.is_head or sender.strip().lower() == identity.email


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
HeadIdentity = Annotated[Identity, Depends(head_identity)]
