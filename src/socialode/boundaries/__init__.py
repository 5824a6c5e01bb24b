"""Boundaries: each member's own limits on being reached -- quiet hours (on by default),
digest times, per-kind channels, together mode and sleep protection."""
