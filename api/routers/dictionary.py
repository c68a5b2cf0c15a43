"""The company dictionary: words that are never misspellings, for anyone (the head keeps it)."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from mail_lint import team
from mail_lint.errors import UnusableInput

from ..auth import CurrentIdentity, HeadIdentity
from ..deps import ConfigDep, StoreDep, TeachingSourceDep
from ..schemas import DictionaryOut, ErrorOut, WordIn, WordOut

router = APIRouter(prefix="/v1/dictionary", tags=["dictionary"],
                   responses={400: {"model": ErrorOut, "description": "the body cannot be read"},
                              401: {"model": ErrorOut}, 403: {"model": ErrorOut}, 422: {"model": ErrorOut}})


@router.get("", response_model=DictionaryOut)
async def list_words(identity: CurrentIdentity, store: StoreDep, config: ConfigDep) -> Any:
    """The company dictionary: the store's words and the config file's."""
    words = await run_in_threadpool(team.dictionary, store)
    configured = [*config.section("grammar").get("words", []), *config.section("signature").get("company", [])]
    return {"words": words, "config_words": configured}


async def add(store, source, word: str, identity) -> tuple[dict, bool]:
    try:
        entry, new = await run_in_threadpool(team.add_word, store, word, identity.email)
    except UnusableInput as e:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, str(e)) from None
    source.changed()
    return entry, new


@router.post("", response_model=WordOut, status_code=status.HTTP_201_CREATED,
             responses={200: {"model": WordOut, "description": "already in the dictionary"}})
async def add_word(body: WordIn, identity: HeadIdentity, store: StoreDep, source: TeachingSourceDep) -> Any:
    """Add a word (head only): from now on no one's check flags it, in any inflected form."""
    entry, new = await add(store, source, body.word, identity)
    if not new:
        return JSONResponse(WordOut(**entry).model_dump(mode="json"))
    return entry


@router.delete("/{word}", status_code=status.HTTP_204_NO_CONTENT, responses={404: {"model": ErrorOut}})
async def remove_word(word: Annotated[str, Path(min_length=1, max_length=100)], identity: HeadIdentity,
                      store: StoreDep, source: TeachingSourceDep) -> None:
    """Remove a word (head only; any case)."""
    if not await run_in_threadpool(team.remove_word, store, word):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"{word!r} is not in the dictionary")
    source.changed()
