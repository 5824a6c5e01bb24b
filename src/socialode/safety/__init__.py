"""Safety: noticing words that may hurt before they are sent.

``score(text, locale)`` is the one door: every surface that sends words to other people asks
it before sending, and a hurtful assessment turns into a pause the sender answers (rephrase,
discard, or send anyway). The detector never decides anything about a person by itself.
"""
