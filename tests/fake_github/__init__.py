"""A fake GitHub for the tests: the REST API (validated against GitHub's OpenAPI
description) and git over HTTP, on 127.0.0.1."""

from fake_github.server import FakeGitHub, Recorded, Token

__all__ = ["FakeGitHub", "Recorded", "Token"]
