"""Tagged things."""


def tag(name: str, *, color: str = "blue") -> str:
    """Make a tag."""
    return name
