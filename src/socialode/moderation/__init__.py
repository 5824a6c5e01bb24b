"""Moderation: reports that reach moderators with context, their decisions, and a record of
every decision and every look at reported content that nobody can change."""
