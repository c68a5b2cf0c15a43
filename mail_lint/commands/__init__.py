"""CLI verbs, one module each, found by `mail_lint.cli`."""
