"""The checks, one module per check; word lists per language live as data under rules/data/."""
