"""English context rules: first-person accounts of being hurt (disclosures), and the cues that
a text is affectionate or quotes a song or film (see :mod:`socialode.safety.phrases_en`)."""

from __future__ import annotations

from socialode.safety.rules import Rule, rule

I_AM = r"im|i am|i m|ive been|i have been|i was|i got|i get|i keep getting|been|getting|being"
SUBJ = (
    r"they|he|she|someone|somebody|people|everyone|everybody|kids|guys|girls|boys|theyve|"
    r"theyre|shes|hes|(?:a|some|this|that|one|the) [a-z]+ (?:in|from|at) (?:year|class|grade) "
    r"[0-9]+|"
    r"(?:a|some|this|that|one|the|these|those) (?:guy|girl|boy|man|woman|kid|kids|"
    r"classmate|classmates|stranger|group|people|boys|girls|guys|account|person|"
    r"other kids|popular kids|older kids)|my (?:[a-z]+ )?[a-z]+|"
    r"(?:everyone|everybody|people|kids|someone|somebody|some|a few|one|the others|guys|girls|"
    r"boys) (?:in|from|at|on) (?:my |our |the |this )?[a-z]+ [a-z]+|"
    r"(?:people|kids|everyone|guys|girls|boys) (?:at|in|from) (?:school|work|class|my class|"
    r"the office|uni|college|the team)|(?:someone|somebody|people|kids|a few|some|one) (?:in|"
    r"from|at) (?:my |our |the )?[a-z]+|(?:a|some|this|that|one|the) [a-z]+ (?:in|from|at) "
    r"(?:my |our |the )?[a-z]+"
)
# Rules that start with someone else ("they", "the kids at school") are only tried where the
# writer ("me", "my", "i") or a quote follows within a few words.
WRITER = 'me my myself mine i im ive id " mum mom'
SAID_HURTFUL = (
    r" (?:to (?:go )?(?:die|kill|hurt|disappear|leave|shut up|kys|end|jump|hang|drink|cut)|"
    r"(?:that )?(?:i|im|i am|ill|i will|id|nobody|no one|noone|everyone|they|theyd|hed|shed|"
    r"its|my|if i|he|she|hes|shes|theyre|someone|people)\b|(?:[a-z]+ ){0,3}(?:saying|telling"
    r"|that|threats?|about|calling)\b|\"|i should|(?:a |an |im a )?(?:[a-z]+ ){0,2}(?:loser|"
    r"freak|ugly|fat|"
    r"worthless|stupid|slut|whore|bitch|useless|disgusting|pathetic|retard|pig|cow|names)|"
    r"(?:[a-z]+ )?(?:hate|mean|nasty|threatening|horrible|creepy|abusive|death|vile|awful) "
    r"(?:messages|threats|comments|texts|dms|stuff|things|pics|photos))"
)

DISCLOSURES: tuple[Rule, ...] = (
    rule(
        "en.disclosure.being_hurt",
        "disclosure",
        rf"(?:{I_AM}) (?:being |getting |so |constantly |always |still )?(?:bullied|harassed|"
        r"threatened|stalked|picked on|excluded|mocked|beaten up|beaten|hurt|abused|doxxed|doxed|"
        r"followed|attacked|blackmailed|cyberbullied|targeted|left out|ganged up on|made fun of|"
        r"laughed at|called names|trolled|humiliated|sent threats|sent death threats|groomed|"
        r"pressured|outed|shamed|body shamed|slut shamed|isolated|ignored by everyone|called "
        r"(?:ugly|fat|stupid|names|a [a-z]+|an [a-z]+|[a-z]+ and [a-z]+)|(?:[a-z]+ ){0,2}?"
        r"(?:messages|texts|dms|comments|emails) (?:telling|saying|calling) (?:me|i)|told to (?:kys"
        r"|kil "
        r"myself|die|go die|disappear|hurt myself))",
    ),
    rule(
        "en.disclosure.they_do_to_me",
        "disclosure",
        rf"(?:{SUBJ}) (?:(?:keep|keeps|kept|always|constantly|still|just|literally|wont stop|"
        r"keep on|started|start|have been|has been|been|are|is|were|was) )*(?:threatened|"
        r"threaten|threatens|threatening|bullied|bully|bullies|bullying|harassed|harass|harasses"
        r"|harassing|mocked|mock|mocks|mocking|hit|hits|hitting|beat|beats|beating|punched|punch"
        r"|punches|pushed|push|pushes|pushing|kicked|kick|kicks|stalked|stalks|stalking|excluded"
        r"|excludes|hurt|hurts|hurting|laughed at|laugh at|laughs at|laughing at|picked on|pick"
        r" on|picks on|picking on|made fun of|make fun of|makes fun of|making fun of|spread "
        r"rumou?rs about|leaked|exposed|doxxed|doxed|blackmailed|blackmailing|spat on|tripped|"
        r"cornered|grabbed|humiliated|humiliate|insulted|insult|insults|insulting|attacked|"
        r"ganged up on|shoved|slapped|called|calls|call|calling|excluding|exclude|leaving out|"
        r"leave out|left out|ignoring|ignore|ignored) me",
        near=WRITER,
    ),
    rule(
        "en.disclosure.they_said_to_me",
        "disclosure",
        rf"(?:{SUBJ}) (?:(?:keep|keeps|kept|always|constantly|still|just|literally|wont stop|"
        r"keep on|started|have been|has been|been|are|is|were|was) )*(?:told|tell|tells|telling"
        r"|said to|says to|saying to|texted|texts|texting|messaged|messages|messaging|dmd|dm|"
        r"dms|wrote to|writes to|sent|send|sends|sending|posted|posts|posting|commented|"
        r"commenting|shouted at|yelled at|screamed at|whispered to) me" + SAID_HURTFUL,
        near=WRITER,
    ),
    rule(
        "en.disclosure.reported_speech",
        "disclosure",
        rf"(?:{SUBJ}) (?:(?:keep|keeps|kept|always|constantly|still|just|literally|wont stop|"
        r"keep on) )*(?:said|says|saying|say|wrote|writes|posted|commented|yelled|shouted|"
        r"screamed|called|texted|messaged|told) (?:to me |me )?(?:[.,] )?\"(?=.*(?:\bi\b|\bme\b|"
        r"\bmy\b|\bim\b|\bmyself\b))",
        near=WRITER,
    ),
    rule(
        "en.disclosure.mocking_me",
        "disclosure",
        r"to (?:make fun of|mock|laugh at|humiliate|bully|exclude|talk shit about|talk about|"
        r"embarrass|shame) me|told (?:that )?i (?:should|need to|ought to) (?:kill myself|die|"
        r"disappear|go die|not exist|hurt myself)|about me (?:in|on) (?:the |a )?(?:group|chat|"
        r"gc|story|stories|page)",
    ),
    rule(
        "en.disclosure.threatened_to",
        "disclosure",
        rf"(?:{SUBJ}) (?:(?:keep|keeps|kept|always|constantly|still|just|literally|wont stop|"
        r"has|have|had) )*(?:threatened|threatens|threatening|threaten|said|says|promised|swore|"
        r"wants|want) to (?:(?:{HARM}|find|get|follow) me|(?:post|leak|share|expose|send|spread|"
        r"publish|show) my|tell everyone (?:about )?my)",
        near=WRITER,
    ),
    rule(
        "en.disclosure.says_about_me",
        "disclosure",
        rf"(?:{SUBJ}) (?:(?:keep|keeps|kept|always|constantly|still|just|literally|wont stop|"
        r"keep on) )*(?:say|says|saying|said|told everyone|tells everyone|telling everyone|"
        r"tell everyone|post|posts|posting|posted|spread|spreading) (?:that )?(?:im|i am|i m|i "
        r"was|my|me|i should|i need to|i ought to|i deserve)\b",
        near=WRITER,
    ),
    rule(
        "en.disclosure.threatened_me",
        "disclosure",
        rf"(?:{SUBJ}) "
        r"(?:said|says|say|keeps saying|wrote|texted|messaged|told everyone) (?:that )?(?:they|he|s"
        r"he|someone|"
        r"theyd|hed|shed|theyll|hell|shell|theyre|hes|shes)(?: would| will| are going to| is "
        r"going to| was going to| were going to| gonna| re gonna| s gonna)? (?:(?:{HARM}|find|"
        r"get|follow|post|expose|leak|share|ruin) )+(?:me|my)",
        near=WRITER,
    ),
    rule(
        "en.disclosure.feelings",
        "disclosure",
        r"(?:nobody|no one|noone) (?:\w+ )?(?:likes|wants|loves|cares about|talks to|sits with|"
        r"invites|invited|would miss|will miss) me|i have no (?:friends|one)|i feel (?:so |really"
        r" |like )?(?:alone|worthless|invisible|unwanted|nobody|no one|a burden|everyone hates)|"
        r"(?:im|i am) (?:so |really )?(?:scared|afraid|terrified) (?:of (?:him|her|them|going|"
        r"my)|to go)|i dont feel safe|i (?:want|wanna) (?:to )?(?:die|disappear|kill myself|end"
        r" it|hurt myself)|(?:thinking|thought) (?:about|of) (?:killing|hurting|ending) myself|"
        r"i (?:cant|can not) (?:take|do) (?:this|it) anymore|(?:someone|they|he|she|people) "
        r"(?:posted|shared|leaked|put|found|spread) my (?:[a-z]+ )?(?:address|number|photos?|"
        r"pics|nudes|details|school|home|location)|(?:getting|receiving|got|get|keep getting|"
        r"been getting) (?:death |constant |anonymous |more )?(?:threats|hate messages|mean "
        r"messages|nasty messages)|everyone (?:hates|ignores|laughs at) me",
    ),
    rule(
        "en.disclosure.what_they_do",
        "disclosure",
        r"(?:said|says|wrote|sent|posted|texted|told|typed|commented|keeps? saying|kept saying) "
        r"(?:[^ ]+ ){0,3}?\" (?:[^ ]+ ){1,12}?\" (?:to|at|about) me|(?:i was|ive been|i got|i "
        r"get|im|i keep getting|been) told (?:\"|(?:that )?(?:nobody|no one|everyone|i (?:should|"
        r"was|am|m)))|(?:he|she|they|someone|"
        r"somebody|people) (?:knows?|found out|found|figured out) where i (?:live|work|go|sleep|"
        r"study)|(?:hell|shell|theyll|he will|she will|they will|hes gonna|shes gonna|theyre "
        r"gonna) (?:make me|hurt me|find me|kill me|come for me|get me|come after me|post my|"
        r"leak my)|(?:im|i am|i m|and im|now im) (?:so |really |actually |genuinely )?"
        r"(?:scared|terrified|frightened)(?= \.|$| ,)|(?:made|created|started|have|set up) "
        r"(?:a |another |their own |a new )?(?:new |secret |separate )?(?:group|chat|gc|server) "
        r"without me|i (?:wasnt|was not) invited|"
        r"spread(?:ing)? (?:[a-z]+ ){0,2}?(?:rumou?rs|lies|stuff|things|pics|photos|videos|gossip)"
        r" about me|"
        r"pretending to be me|fake (?:account|profile|page) (?:of|pretending|using|with|about) "
        r"(?:me|my)|(?:keep|keeps|kept|always) (?:commenting|writing|posting|replying) (?:that )?"
        r"(?:im|i am|i m|i look|my)|(?:getting|got|get|receiving|been sent|keep "
        r"getting|been getting|ive had|i had) (?:[a-z]+ ){0,2}?(?:messages|texts|dms|comments|"
        r"emails|notes|calls) (?:saying|telling|calling|from strangers|about me)",
    ),
)

# Cues so strong that a text carrying them is a joke between friends: they clear insults and
# exclusion as well as soft rules (a laugh alone, "lol", "lmao", clears only soft rules: it
# mocks as often as it jokes).
BANTER: tuple[str, ...] = (
    r"(?<!ever )(?<!never )(?<!not )(?<!could )(?<!would )(?<!will )(?<!to )(?<!cant )"
    r"(?<!dont )(?:love|luv|adore) (?:you|u|ya|ye)|ily|ilysm|<3|xx+|jk|just (?:kidding|joking)|"
    r"congrats|congratulations|well done|proud of (?:you|u)|happy birthday|miss (?:you|u|ya)|"
    r"ha(?:ha)+|a?ha(?:ha)+|(?:you|u) (?:legend|lucky|jammy|beautiful|gorgeous|genius)"
    r"|bestie|babe|love ya",
)

AFFECTION: tuple[str, ...] = (
    r"lol+|lool+|lmao+|lmfao|rofl|ha(?:ha)+h?|he(?:he)+|a?ha(?:ha)+|hihi|jk|just (?:kidding|"
    r"joking)|(?<!not )(?<!never )(?<!no )(?:kidding|joking)",
    r"(?:love|luv|adore) (?:you|u|ya|ye)|ily|miss (?:you|u|ya)|xx+|xo+|<3",
    r"congrats|congratulations|well done|proud of (?:you|u)|enjoy|have fun|legend|jealous|"
    r"amazing|awesome|incredible|unbelievable|no way|omg|wow|insane|brilliant|so good|"
    r"perfect|yay|wo+|yes+|fair play|love it|love this|best (?:news|day|thing)|good news|"
    r"great news|so happy|"
    r"good for (?:you|u)|happy for (?:you|u)|killed it|nailed it|cant wait|well played|gg|"
    r"nice one|respect|you won|you win|won again|beat me|got the job|passed|lucky|jammy|cheeky|"
    r"(?:in|at|on) (?:ranked|fifa|fortnite|warzone|cod|minecraft|the quiz|quiz night|chess|mario"
    r" kart|the match|the game|five a side|pub quiz|board games?|monopoly|uno|the final|ivi|"
    r"a ivi|the ivi|1 v 1|a 1 v 1)|genius|"
    r"(?:you|u) absolute (?:legend|muppet|menace|goof|donkey|nutter|wally|doughnut|melt|"
    r"plonker|numpty|clown|gremlin|weirdo|nerd|dork|goober)|"
    r"(?:if|when) (?:you|u) (?:bail|flake|forget|cancel|are late|spoil|eat my|finish the|"
    r"(?:take|have|nick|steal|eat|grab) the last|drink my|"
    r"dont (?:come|show|bring|text|reply|call)|leave early|skip|ghost me|miss)|"
    r"spoil|spoiler|spoilers|the ending|my (?:fries|chips|snacks|food|leftovers|jollof|pizza|"
    r"cake|biscuits|crisps|sweets|chocolate|curry|sandwich|burger|noodles)|late again",
)
MEDIA: tuple[str, ...] = (
    r"songs?|lyrics?|sings|sang|singing|chorus|verse|album|track|band|rapper|singer|tune|"
    r"playlist|on repeat|stuck in my head|earworm|karaoke|musical|anthem|ballad",
    r"films?|movies?|cinema|scene|line from|that line|the line|quote|quoting|quotes|character|"
    r"villain|episode|series|sitcom|trailer|poem|novel|meme|catchphrase",
)
LEADINS: tuple[str, ...] = (
    r"as the (?:song|film|movie|line|saying|character|chorus|lyric|lyrics|villain|poem|meme) "
    r"(?:goes|says|said|put it)|like the (?:song|film|movie|line|villain|meme) (?:says|goes|"
    r"said)|in the words of|to quote|quoting|(?:song|film|movie) (?:line|lyric|quote) of the"
    r" day|cant stop (?:singing|humming)|(?:singing|humming|blasting|screaming) (?:along )?(?:to"
    r" )?(?:the|this|that) (?:song|chorus|track)",
)
