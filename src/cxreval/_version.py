"""The one place the project's version is set (read by hatchling and both packages)."""

__version__ = "0.1.0"
