"""Small wording helpers shared by pages, admin and emails."""


def pluralise(count: int, singular: str, plural: str | None = None) -> str:
    """'1 response', '3 responses', '2 people' (pluralise(2, "person", "people"))."""
    return f"{count:,} {singular if count == 1 else plural or singular + 's'}"
