"""English slurs against people for who they are: sexuality, gender, race, religion, origin
and disability. A slur hurts whoever it is said to and however it is said, so these rules
are ``firm``: a laugh or a heart does not clear them, and the model does not overrule them
(:func:`socialode.safety.combined.decide`). A quote of a film or song in quote marks, and a
first-person account of being called one ("someone called me a ..."), are still not attacks.

Words with an everyday meaning beside the slur ("fag" for a cigarette, "dyke" for an
embankment, "poof" as in "poof, gone", "tranny" for a van's gearbox, "chink" of light)
count only where they name a person: after "you", "that", "such a" or an insult, let in
("let the ... in"), said of someone ("poof that he is"), or before "alert", "energy" or
"walked in"; "fag" and "chink" not after
"that" or "this". A pandemic named to mark someone's origin ("chinese virus boy", "kung flu")
is a slur too. Words reclaimed and said of oneself every day ("queer") are not here.
"""

from __future__ import annotations

from socialode.safety.rules import Rule, rule

MACROS: dict[str, str] = {
    # slurs with no other meaning in a chat
    "SLUR": (
        r"faggots?(?! (?:and|an|n|in|with) (?:peas|gravy|onions?|mash)\b)|"
        r"shemales?|niggers?|kikes?|"
        r"towelheads?|ragheads?|wetbacks?|beaners?|gooks?|lesbo|lezzas?|lezzers?|poofters?|"
        r"batty (?:boys?|bwoys?|man|men)|chi chi (?:man|men)|pikeys?|gypos?|wogs?|sambos?|"
        r"darkies?|pakis?|trannies|kung flu|"
        # a pandemic named to mark a person by their origin ("chinese virus boy")
        r"(?:chinese|china|wuhan) (?:virus|flu) (?:boys?|girls?|man|men|woman|women|kids?|lads?|"
        r"lass|guys?|family|lot)"
    ),
    # slurs that are also everyday words, named as a person: "that poof", "dyke energy"
    "SLUR_WORD": r"dykes?|poofs?|trany",
    "SLUR_BEFORE": (
        r"{YOU}|{YOUR}|(?:{YOU_ARE}|(?:hes|shes|he is|she is|theyre|they are)) (?:a|an|such a|"
        r"so|the|one|an absolute|a total|a fucking)|that|"
        r"this|such a|fucking|fkn|fuckin|dirty|filthy|stupid|ugly|fat|typical|bloody|absolute|"
        r"total|bull"
    ),
    "SLUR_AFTER": (
        r"alert|energy|vibes|behaviou?r|music|"
        r"(?:walked|walks|came|comes|showed|shows|turned|turns|rocked|rocks) (?:in|up)"
    ),
    # a person let in: "who let the tranny in" (a gearbox is let cool, not let in)
    "SLUR_LET": r"(?:let|lets|letting) (?:the|that|a|this)",
    # and words whose everyday meaning takes "that" and "this" too ("that fag was my last")
    "SLUR_RARE": r"fags?|chinks?|{SPAZ}",
    "SLUR_RARE_BEFORE": (
        r"{YOU}|{YOU_ARE} (?:a|an|such a|so|the|one|an absolute|a total|a fucking)|such a|"
        r"fucking|fkn|fuckin|dirty|filthy|stupid|ugly|fat|gay|shut up|shut it|stfu|what a"
    ),
    # no cigarette or light is useless or bloody: "useless bloody spastic"
    "SPAZ": r"spaz|spazzes|spastics?|spacker|spack",
    "SPAZ_BEFORE": r"useless|bloody|thick|little|absolute|total|clumsy|dumb|proper",
}

RULES: tuple[Rule, ...] = (
    rule(
        "en.harassment.slur",
        "harassment",
        r"{SLUR}|(?:{SLUR_BEFORE}) (?:{SLUR_WORD})|(?:{SLUR_WORD}) (?:{SLUR_AFTER})|"
        r"(?:{SLUR_LET}) (?:{SLUR_WORD}) in|"
        # said of someone: "ask Tom, poof that he is"
        r"(?:{SLUR_WORD}) that (?:he|she|they) (?:is|are|was|were)(?! [a-z]+ing)|"
        r"(?:{SLUR_RARE_BEFORE}) (?:{SLUR_RARE})|(?:{SPAZ_BEFORE}) (?:{SPAZ})",
        firm=True,
    ),
)
