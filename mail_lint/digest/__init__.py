"""The weekly digest: a week of verdicts rolled up per manager, rendered, sent, and scheduled.

    from mail_lint.digest import digest_json
    digest_json(store, config, "2025-W49")   # the JSON contract of `GET /v1/digest`
"""
from .compute import compute_digest, digest_json, private_digest
from .weeks import IsoWeek, WeekError

__all__ = ["IsoWeek", "WeekError", "compute_digest", "digest_json", "private_digest"]
