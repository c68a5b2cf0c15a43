"""Errors that reach the user as one line (CLI exit 2, HTTP 400/422)."""


class UnusableInput(Exception):
    """The input cannot be turned into a message; str() is the one-line reason."""


class ConfigError(Exception):
    """A config file with an unknown key or a bad value; str() names the key."""
