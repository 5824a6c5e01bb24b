"""Moments: short pieces of life shared with circles a member chose, answered with words.

The audience of a moment is fixed when it is posted (``MomentAudience``); whether someone in it
may still see it is decided at read time by one rule in ``access.py`` (still connected to the
author, and still in one of the circles it was shared with unless chosen by name).
"""
