"""The pause before hurtful words are sent.

Every surface that sends words to other people calls ``check_words`` with the text and what
the sender answered to an earlier pause, if anything. A text the detector finds hurtful is
not sent: ``Paused`` (409) carries the assessment and a token, and the sender chooses:

- rephrase: send the changed text with the token; when it no longer reads as hurtful it is
  sent, and it carries ``rephrased:<category>``;
- send anyway: send the same text with the token and ``send_anyway``; it carries
  ``sent_anyway:<category>``, which is also what folds it for recipients who ask for that;
- discard: nothing is sent and nothing is kept, not even that there was a pause: words a
  person chose not to send are not stored anywhere.

The token is signed and stateless (the member, the surface, a digest of the text, the
category, the time), so a pause writes nothing. A token for a different text, another member
or surface, or one older than an hour is refused with a sentence. What was chosen is stored
with the text itself and shown to moderators only when that text is reported.

A disclosure (someone writing that they are being hurt) is never paused: it is sent, and the
writer is offered the path to help.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from socialode.platform.errors import Conflict, Invalid
from socialode.platform.i18n import N_
from socialode.platform.services import Services
from socialode.safety.assessment import Assessment, Category
from socialode.safety.scorer import scorer_for

SURFACES = ("message", "answer", "moment", "support", "prompt", "gathering")
TOKEN_AGE = 3600
PAUSED = N_("This might hurt. Do you want to rephrase?")
# Said instead of words sent anyway after a pause, outside the text itself (a list line, a
# notice), to a reader who folds such texts.
FOLDED = N_("This may be hurtful — open it to see.")
STALE = N_(
    "This pause is no longer valid (it is over an hour old, or not yours). Nothing was sent; "
    "send the text again."
)
OTHER_TEXT = N_(
    "The text changed since the pause, so this “send anyway” is for a different text. Nothing "
    "was sent: send the new text to have it checked."
)


@dataclass(frozen=True, slots=True)
class PauseAnswer:
    """What the sender answered to a pause: its token, and whether to send anyway."""

    token: str = ""
    send_anyway: bool = False


NO_ANSWER = PauseAnswer()


@dataclass(frozen=True, slots=True)
class Cleared:
    # stored with the text: "sent_anyway:threat", "rephrased:…"; with words in several fields,
    # the one that carried them when it was one: "sent_anyway:threat:description"
    paused: str | None = None
    offer_help: bool = False  # a disclosure: the writer is offered the path to help

    @property
    def flagged(self) -> bool:
        return folds(self.paused)


def folds(paused: str | None) -> bool:
    """Whether a stored text reads as hurtful to recipients who fold such texts."""
    return bool(paused) and str(paused).startswith("sent_anyway:")


def paused_category(paused: str | None) -> str | None:
    return str(paused).split(":")[1] if paused and ":" in paused else None


def folded_part(paused: str | None) -> str | None:
    """Which one field of several carried the words sent anyway ("sent_anyway:threat:place"),
    or None: the words were not sent anyway, or they were in one field only or in more than
    one, or they were stored before the field was (fold them all)."""
    parts = str(paused).split(":") if folds(paused) else []
    return parts[2] if len(parts) > 2 else None


class Paused(Conflict):
    shown_apart = True

    def __init__(self, assessment: Assessment, token: str, field: str) -> None:
        super().__init__(PAUSED, field)
        self.assessment = assessment
        self.token = token
        self.extra = {
            "pause": {
                "category": assessment.category.value,
                "token": token,
                "choices": ["rephrase", "discard", "send_anyway"],
            }
        }


def _signer(svc: Services) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(svc.settings.resolved_secret_key, salt="socialode.pause")


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:32]


def _read(svc: Services, member_id: int, surface: str, token: str) -> tuple[str, str]:
    """The digest and category a valid token names, or a refusal."""
    try:
        raw = _signer(svc).loads(token[:400], max_age=TOKEN_AGE)
    except (BadSignature, SignatureExpired):
        raise Invalid(STALE, "pause_token") from None
    if not (isinstance(raw, list) and len(raw) == 4 and raw[:2] == [member_id, surface]):
        raise Invalid(STALE, "pause_token")
    digest, category = str(raw[2]), str(raw[3])
    if category not in Category.__members__:
        raise Invalid(STALE, "pause_token")
    return digest, category


async def _assess(
    svc: Services, locale: str, parts: Sequence[tuple[str, str]], every: bool = False
) -> tuple[Assessment, str, list[str]]:
    """The first hurtful part's assessment and field; else the first disclosure's, or clear.
    Also the hurtful parts' fields: with ``every``, all of them; else the first only."""
    scorer = scorer_for(svc)
    found: tuple[Assessment, str] = (Assessment(), parts[0][0])
    hurtful: list[str] = []
    for name, words in parts:
        if not words.strip():
            continue
        assessment = await scorer.score(words, locale)
        if assessment.hurtful:
            if not hurtful:
                found = (assessment, name)
            hurtful.append(name)
            if not every:
                break
        elif assessment.disclosure and not found[0].disclosure and not hurtful:
            found = (assessment, name)
    return found[0], found[1], hurtful


async def check_words(
    svc: Services,
    member_id: int,
    locale: str,
    surface: str,
    text: str,
    answer: PauseAnswer = NO_ANSWER,
    *,
    field: str = "body",
    parts: Sequence[tuple[str, str]] = (),
) -> Cleared:
    """Score ``text`` before it is sent; raise ``Paused`` or return what to store with it.
    ``parts``: see :func:`check_fields`."""
    assert surface in SURFACES, surface
    earlier = _read(svc, member_id, surface, answer.token) if answer.token else None
    if earlier and answer.send_anyway and earlier[0] != _digest(text):
        raise Invalid(OTHER_TEXT, "pause_token")
    if answer.send_anyway and not earlier:
        raise Invalid(STALE, "pause_token")
    sending_anyway = bool(earlier and answer.send_anyway)
    assessment, field, hurtful = await _assess(
        svc, locale, parts or ((field, text),), every=sending_anyway and len(parts) > 1
    )
    if assessment.hurtful:
        if sending_anyway:
            # Of several fields, the one that carried the words, so only it is folded.
            part = f":{hurtful[0]}" if len(parts) > 1 and len(hurtful) == 1 else ""
            return Cleared(f"sent_anyway:{assessment.category.value}{part}")
        payload = [member_id, surface, _digest(text), assessment.category.value]
        raise Paused(assessment, _signer(svc).dumps(payload), field)
    if earlier:
        return Cleared(f"rephrased:{earlier[1]}", assessment.disclosure)
    return Cleared(None, assessment.disclosure)


async def check_fields(
    svc: Services,
    member_id: int,
    locale: str,
    surface: str,
    fields: Sequence[tuple[str, str | None]],
    answer: PauseAnswer = NO_ANSWER,
) -> Cleared:
    """:func:`check_words` for words in several fields (name, text), such as a gathering's
    name, description and place: each is scored on its own, so a harmless name and place do
    not water down a threat in the description, and the pause names the field that reads as
    hurtful. The token is for the filled fields together, one per line."""
    parts = [(name, words) for name, words in fields if words]
    text = "\n".join(words for _, words in parts)
    return await check_words(svc, member_id, locale, surface, text, answer, parts=parts)
