"""Random tokens handed to people (in links or cookies), stored only as a SHA-256 hash."""

import hashlib
import secrets


def hash_token(token: str) -> str:
    """Only the SHA-256 of a token is stored, so a copy of the database cannot use it."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> tuple[str, str]:
    """A fresh (token, hash) pair: 256 random bits, URL-safe."""
    token = secrets.token_urlsafe(32)
    return token, hash_token(token)
