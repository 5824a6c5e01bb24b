"""Socialode: a social platform for fewer, deeper connections."""

__version__ = "0.1.0"
