"""Shared machinery every feature stands on: database, mail, security, limits, errors."""
