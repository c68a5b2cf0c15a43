"""mail-lint: a self-hosted email-quality linter for sales teams."""

__version__ = "0.1.0"
