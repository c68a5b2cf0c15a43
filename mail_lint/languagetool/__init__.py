"""LanguageTool: install from Maven Central, run on loopback, talk to it."""
