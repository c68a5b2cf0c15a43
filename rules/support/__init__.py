"""What the checks share or lean on: word-list loading, tokens and lemmas, phrase matching,
name matching, signature parsing, request and deadline finding, readability. Not checks themselves."""
