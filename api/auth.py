"""Bearer-token dependencies: who is asking, and whether their role allows it.

No or unknown token: 401; too many unknown tokens from one address: 429 (`api.limits`). A role that may
not do this: 403. A manager reading another manager's
verdict by id gets 404, the same as a verdict that does not exist, so ids reveal nothing.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from mail_lint.tokens import Identity, find_identity

from .deps import StoreDep

_bearer = HTTPBearer(auto_error=False, description="a token from `mail-lint token create`")


async def current_identity(request: Request, store: StoreDep,
                           credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Identity:
    """Any valid token. An address that sent too many unknown tokens waits (429) before any is looked at."""
    if credentials is None:
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "no token: send Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    limiter = request.app.state.failed_tokens
    address = request.client.host if request.client else ""
    if (wait := limiter.retry_after(address)) is not None:
        raise HTTPException(status.HTTP_429_TOO_MANY_REQUESTS,
                            f"too many unknown tokens from this address; try again in {wait} s",
                            headers={"Retry-After": str(wait)})
    identity = await run_in_threadpool(find_identity, store, credentials.credentials)
    if identity is None:
        limiter.failed(address)
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
