"""Notifications: gentle, private notes to one member about something they may see.

The feature stores who is told about what (``kind`` and an opaque ``ref`` such as
``moment:12``); the feature that owns the thing registers a resolver that decides, at read
time and through its own access rule, whether the member may still see it and how it reads.
"""
