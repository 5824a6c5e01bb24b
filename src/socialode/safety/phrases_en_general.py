"""English rules written by the shape of each kind of hurtful text rather than by sentence:
who is speaking to whom, and what is said to happen (see :mod:`socialode.safety.rules` for the
pattern syntax and :mod:`socialode.safety.phrases_en` for the shared lists).

- threat: the writer (or someone on their side) and a future: a harm done to the reader, their
  people or their home, or an outcome that befalls the reader;
- self-harm taunt: a wish or an order for the reader's death or self-harm;
- harassment: the reader named with an insult or a degrading word, or an insult standing
  alone as its own sentence;
- exclusion: the reader is put out of a group, or everyone agrees to keep them out;
- doxxing: someone else's private detail together with a call to act on it or an exposure.
"""

from __future__ import annotations

from socialode.safety.rules import Rule, rule

MACROS: dict[str, str] = {
    # insults that name a person whoever says them: a sentence of their own is an insult
    "PERSON_INSULT": (
        r"loser|moron|imbecile|retard|freak|creep|failure|disgrace|slut|whore|skank|cunt|"
        r"dickhead|asshole|arsehole|prick|twat|wanker|scumbag|scum|parasite|psycho|jackass|"
        r"dipshit|shithead|fatso|fatass|fatty|lardass|bimbo|degenerate|subhuman|nonce|pervert|"
        r"perv|loner|dumbass|dumbfuck|dumb fuck|waste of (?:space|air|oxygen)|"
        r"piece of (?:shit|crap)|"
        r"attention whore|pick me|incel|weirdo|hack|freakshow|lowlife|nobody|reject|clown|goblin"
    ),
    "HARSH": (
        r"ugly|fat|stupid|pathetic|disgusting|worthless|useless|dumb|retarded|hideous|vile|gross|"
        r"repulsive|revolting|embarrassing|cringe|braindead|brainless|fugly|talentless"
    ),
    # what a threat says befalls the reader
    "HARMED": (
        r"stabbed|shot|jumped|hurt|beaten up|beaten|battered|smacked|killed|murdered|merked|"
        r"bodied|dealt with|sorted out|done in|knocked out|cut up|burned|burnt|shanked|"
        r"your (?:head|face|teeth|legs) (?:kicked in|smashed|broken|caved in)|"
        r"put in (?:the ground|a coma|hospital)|found in a ditch"
    ),
    "PEOPLE_OF": (
        r"windows?|door|house|place|home|flat|car|family|kids|children|mum|mom|mother|dad|father|si"
        r"ster|"
        r"brother|parents|dog|cat|girlfriend|boyfriend|wife|husband|school|work|friends"
    ),
    # the writer, or someone on their side, and a future
    "WHO_WILL": (
        r"{WILL}|id|i would|were|we are|im|i am|my [a-z]+ (?:is|are|will|gonna|is gonna|are "
        r"gonna)|(?<=[a-z]s )(?:gonna|going to)|(?:everyone|everybody|people|the boys|the girls|we "
        r"all"
        r") (?:at|in|from) [a-z]+ (?:is|are) (?:gonna|going to)|(?:someone|somebody|they|he|she) "
        r"(?:is |s |are |re )?(?:gonna|going to|will)"
    ),
    # a harm done, in the forms that follow "will" and "gonna" or "im ... -ing"
    "HARM_ANY": (
        r"(?:{HARM})(?:ing)?|breaking|smashing|stabbing|cutting|shooting|sort(?:ing)? out|"
        r"knock(?:ing)?|drag(?:ging)?|bash(?:ing)?|slap(?:ping)?|punch(?:ing)?|deck(?:ing)?|"
        r"floor(?:ing)?|hit(?:ting)?|kick(?:ing)?|"
        r"kick(?:ing)? in|cave(?:ing)? in|shoot(?:ing)? up|shot up|blow(?:ing)? up|light(?:ing)? "
        r"up|rearrang(?:e|ing)|put(?:ting)? (?:a|my) (?:fist|knife|brick|bullet) "
        r"(?:through|in|into)|run(?:ning)? over|set(?:ting)? fire to|torch(?:ing)?"
    ),
    # what of the reader's a harm is done to ("your jaw", "your mum's car"); not things that
    # are broken, beaten or killed in play ("your record", "your score")
    "YOUR_THING": (
        r"{YOUR} (?!(?:record|score|time|high score|heart|hair|nails|fringe|lawn|grass|plant|"
        r"plants|game|team|chances|plan|plans|dreams|vibe|cake|pizza|bread|fast|streak|level|"
        r"boss|nerves|confidence)(?: |$))(?:[a-z]+ )?[a-z]+"
    ),
    "STRONG_STREET": (
        r"street|st|road|rd|avenue|ave|lane|ln|crescent|terrace|blvd|boulevard|grove|gardens|"
        r"drive|close"
    ),
    "WATER": (
        r"sea|seas|ocean|oceans|river|rivers|lake|lakes|loch|lochs|canal|canals|water|pier|"
        r"harbour|harbor|bay|tide|waves|quarry"
    ),
    "DETAIL": (
        r"real name|full name|home address|address|addy|postcode|phone number|number|digits|"
        r"work email|email|school|workplace|office|shop|job|house|home|flat|car|door|id card|passpo"
        r"rt|dob|date of birth|"
        r"timetable|schedule|route|licen[cs]e plate|number plate|insta|snap|socials|location|"
        r"boss|manager|employer|parents|mum|mom|dad|wife|husband"
    ),
}

RULES: tuple[Rule, ...] = (
    # threats
    rule(
        "en.threat.you_will_be_harmed",
        "threat",
        r"(?:{YOU_ARE}|{YOU}ll|{YOU} will|{YOU} are|{YOU}re|{YOU} r) (?:gonna |going to |gon )?"
        r"(?:getting|get|be|end up) (?:{HARMED})(?! in (?:the|this|that) (?:game|match|round))",
        soft=True,
    ),
    rule(
        "en.threat.outcome",
        "threat",
        r"{YOU}(?:ll| will|re gonna| are gonna|re going to| are going to| r gonna| gonna) "
        r"(?:bleed|suffer|pay for (?:this|that|it)|regret (?:this|that|it|the day)|be sorry|get "
        r"what(?:s)? (?:you|u|ya) deserve|never walk again|not see (?:tomorrow|next week)|wake up "
        r"in (?:a|the) hospital|wish {YOU} (?:never|hadnt))|{YOUR} days are numbered|count "
        r"{YOUR} days|{YOU} (?:wont|will not|will never|never) see (?:it|me|us|this) coming|"
        r"(?:its|it is) (?:only )?a matter of time (?:before|till|until) (?:i|we|someone) "
        r"(?:get|find|catch|hurt|see)|{YOU} (?:wont|will not|aint gonna) (?:make it|live) "
        r"(?:to|past|through|til|till) (?:friday|monday|tomorrow|the weekend|next week|"
        r"[a-z]+day)",
    ),
    rule(
        "en.threat.visit",
        "threat",
        r"(?:pay|paying|give|giving) {YOUR} (?:[a-z]+ ){0,2}?(?:{PEOPLE_OF}) a (?:little |"
        r"surprise |late night |proper )?visit|(?:watch|see|wait and see|youll see|just see) "
        r"what (?:happens|will happen|im gonna do|we do|i do) to (?:{YOU}|{YOUR} (?:[a-z]+ )?"
        r"(?:{PEOPLE_OF}))|(?:something|an accident) (?:might|could|will|is gonna) happen to "
        r"{YOUR} (?:[a-z]+ )?(?:{PEOPLE_OF})|(?:shame|pity) if something (?:happened|happens|"
        r"were to happen) to (?:it|them|him|her)|(?:shame|pity) if something (?:happened|happens|"
        r"were to happen) to {YOUR}",
    ),
    rule(
        "en.threat.or_else",
        "threat",
        r"{YOU} (?:better|had better|d better|best) (?:not )?(?:[^ ]+ ){1,8}?or (?:else|"
        r"(?:{YOU_ARE}|{YOU}ll|{YOU} will) (?:getting|get|be|gonna get) (?:{HARMED}|dead|done)|"
        r"(?:ill|i will|im gonna|were gonna|well) (?:{HARM}|find|come for|make) )",
        soft=True,
    ),
    rule(
        "en.threat.wait_till",
        "threat",
        r"(?:just )?wait (?:till|until|til) (?:i|we|my [a-z]+) (?:get|see|find|catch|get hold of"
        r"|get my hands on) {YOU}|(?:i|we|my [a-z]+) (?:will|ll|are gonna|is gonna|am gonna) "
        r"(?:be )?(?:waiting|outside) (?:for {YOU} )?(?:after|outside|at|by) (?:school|class|"
        r"work|{YOUR})",
    ),
    rule(
        "en.threat.future_harm",
        "threat",
        r"(?:{WILL}) (?:(?:fucking|literally|actually|personally|seriously|come|go|and|then|just"
        r"|really|properly|proper|make sure to|find and|hunt down and) )+(?:{HARM}) (?:{YOU}|"
        r"{YOUR} (?:[a-z]+ )?(?:{PEOPLE_OF}|face|head|legs|arms|neck|teeth))(?= \.|$| ,| and| if"
        r"| when| after| for| tonight| tomorrow| one day| i swear| next)",
        soft=True,
    ),
    rule(
        "en.threat.will_do_harm",
        "threat",
        r"(?:{WHO_WILL}) (?:(?!could |would |wanna |want |love |like |wish |feel |might )(?:[a-z]+"
        r"|,) ){0,3}?(?:{HARM_ANY}) (?:{YOU}|{YOURSELF}|{YOUR_THING})"
        r"(?! at | in (?:a|the|fortnite|chess|mario|this)| on (?:the|mario)| up| back| with "
        r"(?:my|a) (?:"
        r"pillow|kindness|love|cuteness|hugs))",
        soft=True,
    ),
    rule(
        "en.threat.coming_for_you",
        "threat",
        r"(?:lucky|luck) (?:i|we) (?:havent|didnt|have not|did not) (?:{HARM_ANY}|stabbed|shot|"
        r"killed|hit|punched|battered|beaten|smashed|hurt) {YOU}|make sure {YOU} (?:regret|pay|"
        r"suffer|never forget|remember this)|"
        r"(?:{WHO_WILL}) (?:[a-z]+ ){0,2}?sort {YOU} out(?! with| a | some)|next time {YOU} see "
        r"me (?:will|is gonna|\. it will) be the last|"
        r"(?:{WHO_WILL}|im|i am|were|we are|theyre|they are) (?:all )?(?:coming|comin|going|"
        r"heading|driving|turning up|pulling up) (?:to|round|over to|round to|for) {YOUR} (?:[a-z]+"
        r" )?(?:{PEOPLE_OF})(?= \.|$| ,| tonight| all of us| and| at [0-9]| with)|(?:im|i am|were|"
        r"we are|ill|i will|well|we will|ill be|well be) (?:be )?(?:outside|at|waiting at|waiting "
        r"outside|standing outside) {YOUR} (?:door|house|window|place|home|school|work|gate)|"
        r"(?:put|send|leave) {YOU} in (?:a |the )?(?:wheelchair|body bag|box|ground|intensive care"
        r"|icu|hospital|grave|coma|morgue)|make {YOUR} life (?:a )?(?:living )?(?:hell|nightmare|"
        r"misery)|(?:wont|will not|not) (?:be )?(?:[a-z]+ ){0,3}?(?:in one piece)|(?:the )?last "
        r"time (?:{YOU}|youll) (?:ever )?(?:see|walk|speak|talk)|will be the last time {YOU}|"
        r"{YOU_ARE} going (?:in|into) the (?:river|canal|ground|sea|ditch|boot|lake)|"
        r"(?:find out|see|learn) what happens to (?:snitches|grasses|rats|people who|girls who|"
        r"boys who|those who|anyone who)|snitches get stitches|say (?:that|it) to my face|"
        r"(?:id|i would) (?:sleep with (?:the lights on|one eye open)|watch (?:my|your) back|lock "
        r"(?:my|your) doors?|not go out|stay inside) if i (?:were|was) {YOU}|{YOUR} (?:[a-z]+ )?"
        r"(?:{PEOPLE_OF}) (?:better|should|had better|needs? to) (?:watch out|be careful|watch "
        r"(?:their|his|her|its) backs?|be scared|hide|lock (?:their|the) doors?)",
    ),
    rule(
        "en.threat.violence_to_come",
        "threat",
        r"(?:{HARM_ANY}) (?:every|all the|all of the|each) (?:[a-z]+ )?in {YOUR} (?:[a-z]+ )?"
        r"(?:body|face|hand|hands|mouth|head)|(?:wanna|want to) die (?:[.,] )?(?:keep|carry on|try"
        r"|say)|(?:after school|bike sheds?|behind the [a-z]+|outside|the park|the field|the "
        r"gates) (?:[.,] )?(?:[^ ]+ ){0,4}?{YOU} and me(?= \.|$)|{YOUR} (?:[a-z]+ )?(?:{PEOPLE_OF})"
        r" (?:walks|goes|gets|is|comes)"
        r" (?:home )?(?:alone|on (?:his|her|their) own|by (?:himself|herself))|"
        r"teach {YOU} a (?:lesson|thing or two)(?= \.|$| ,| {YOU}| that| youll| you wont)|"
        r"shut (?:it|{YOU}|{YOUR} mouth) (?:for {YOU} )?(?:permanently|for good|forever)|"
        r"{YOU_ARE} in (?:hospital|a wheelchair|a coma|the ground|a body bag|intensive care)|"
        r"{YOU}(?:ll| will) (?:need|be needing) (?:a )?new (?:set of teeth|teeth|face|legs|knees|"
        r"nose|kneecaps)|new set of teeth|(?:dont|do not|better not|wouldnt) sleep (?:too )?(?:"
        r"deeply|well|soundly|tight|at all)|{YOU}(?:ll| will|re gonna| are gonna) (?:be )?(?:"
        r"limping|crawling|bleeding|begging|crying) (?:home|for|all|on|tonight)|"
        r"i know {YOUR} (?:routine|schedule|movements|every move|timetable|route home|shifts)|"
        r"watch {YOURSELF}(?= \.|$| on| when| walking| out there| tonight| from now)|(?:and|or) "
        r"{YOU_ARE} (?:done|finished|dead|over|getting it)(?= \.|$| ,| i mean| mate| trust)|"
        r"(?:its|it is|it s) over for {YOU}|(?:dont be surprised|wouldnt be surprised|shame) if "
        r"{YOUR} (?:[a-z]+ )?[a-z]+ (?:gets?|got|are|is|end up) (?:slashed|smashed|burned|burnt|"
        r"broken|keyed|torched|wrecked|stolen|hurt)|{YOUR} (?:[a-z]+ )?(?:legs|arms|jaw|nose|"
        r"fingers|neck|bones?|teeth|face|kneecaps|knees|ribs|windows|tyres|car) (?:are |is )?"
        r"(?:getting|gonna get|will get|get|gonna be|will be) (?:broken|snapped|smashed|slashed|"
        r"kicked in|caved in|burned|burnt|torched)|hospital food|(?:eat|eating|drink|drinking) "
        r"through a straw|into next week|knock {YOU} (?:out|into|through|flat|senseless|sparko)"
        r"|give {YOU} (?:a )?(?:proper |good |right |real )?(?:kicking|beating|hiding|battering|"
        r"black eye|slap|smack)|come alone(?= \.|$| ,| if)|(?:waiting|wait|be waiting) (?:for "
        r"{YOU} )?(?:by|at|near|behind|outside) (?:the )?[a-z]+ (?:after (?:school|class|work)|"
        r"tonight|at (?:home time|lunch))",
        soft=True,
    ),
    # self-harm taunts
    rule(
        "en.self_harm.if_i_were_you",
        "self_harm_taunt",
        # "if i was as ugly as u id kill myself"
        r"if i (?:were|was|looked like|sounded like|acted like|had {YOUR} [a-z]+|(?:was|were|"
        r"looked|sounded) (?:as|that|so) (?:[a-z]+ ){1,2}?as) {YOU}? ?(?:, )?"
        r"(?:id|i would|i wouldve|i would have|i d) (?:have |of )?"
        r"(?:kiled|kil|hung|hanged|ended|shot|drowned|jumped|offed|unalived|ended it)(?: myself|"
        r" it)?",
    ),
    rule(
        "en.self_harm.more_ways",
        "self_harm_taunt",
        r"cut (?:a bit |a little )?(?:deeper|harder|the other way|vertical|vertically|lengthwise)"
        r"|end {YOUR} (?:own )?life|take {YOUR} own life|(?:go|just|pls|please|finally|should|"
        r"gonna) off {YOURSELF}|"
        r"(?:why dont you|why not|just|go|pls|please|can you) (?:just )?(?:disappear|vanish|"
        r"go away|leave) "
        r"(?:forever|for good|permanently|and never come back|from this earth|off the face of the"
        r" earth)|(?:cease|stop) (?:to exist|existing)(?= \.|$| already| pls| please)|"
        r"(?:empty|nobody at|no one at) {YOUR} funeral|{YOUR} funeral (?:would|will) be empty|"
        r"do (?:us|everyone|everybody|the world|yourself)(?: all)? a favou?r (?:and|&) (?:just )?"
        r"(?:die|disappear|kil|end|off|vanish|stop breathing|jump|leave (?:this|the) (?:world|"
        r"earth|planet)|stop existing|never wake up|unalive|delete)|(?:hope|wish) {YOU} "
        r"(?:never wake up|stop breathing|choke|overdose|od)|(?:the )?(?:bridge|rope|cliff|train "
        r"tracks?|motorway|roof|noose) (?:is|s) (?:that way|over there|waiting|calling)|(?:rope|"
        r"noose) with {YOUR} name on it|(?:would|d|will) be (?:so )?(?:relieved|happier|glad|"
        r"better off|happy) (?:if|when) {YOU} (?:were|was|are|r) (?:gone|dead|died|dies|"
        r"disappeared)|end {YOUR} (?:own )?(?:misery|suffering|pathetic life|existence|pathetic "
        r"existence)|(?:jump|step|walk|run|throw {YOURSELF}|lie down) (?:in front of|under) "
        r"(?:a |the )?(?:train|bus|car|lorry|truck|tram)|nobody(?:s| is) (?:stopping|gonna stop) "
        r"{YOU}|(?:try|trying|consider) not (?:waking up|breathing|existing|being alive)|(?:waiting"
        r" for|want|need|wants|needs) {YOU} to (?:finally |just )?(?:(?:off|kil|end|hang|unalive|"
        r"delete) {YOURSELF}|die)|"
        r"(?:can|could) {YOU} (?:just )?(?:not exist|stop existing|stop breathing)|(?:pay|love|"
        r"like|want|wait) to (?:watch|see) {YOU} (?:hang|die|burn|choke|bleed out|rot)|(?:swallow"
        r"|take|down|neck) (?:a bottle of|a whole bottle of|all (?:your|ur|the)|a packet of) "
        r"(?:pills|tablets|meds|paracetamol)|(?:regret|should have|shouldve) (?:not )?abort(?:ing"
        r"|ed)? {YOU}|fix (?:their|the|your parents|ur parents) mistake|(?:have|ever) {YOU} "
        r"(?:tried|considered|thought about) (?:dying|death|not existing|kil(?:ing)? {YOURSELF}|"
        r"the rope)",
    ),
    # harassment
    rule(
        "en.harassment.insult_alone",
        "harassment",
        r"^(?:\" )?(?:(?:ew|eww|ugh|lol|lmao|ok|okay|bye|shut up|whatever|sure|yeah|stfu) (?:[.,] )"
        r"?"
        r")?(?:(?:{INT}|{HARSH}) )*(?:{PERSON_INSULT})(?= \.|$| ,| \")|[.,] (?:\" )?(?:(?:ew|eww"
        r"|ugh|lol|lmao|ok|okay|bye|shut up|whatever|sure|yeah|stfu) (?:[.,] )?)?(?:(?:{INT}|{HARSH"
        r"}"
        r") )*(?:{PERSON_INSULT})(?= \.|$| ,| \")",
    ),
    rule(
        "en.harassment.what_a",
        "harassment",
        r"what (?:an?|a total|an absolute|a complete|a fucking|a massive) (?:(?:{INT}|{HARSH}) )*"
        r"(?:{PERSON_INSULT}|{MILD}|(?:{INSULT})(?= (?:{YOU_ARE})))(?: (?:{YOU_ARE}))?(?= \.|$| ,"
        r"| lol| lmao)",
    ),
    rule(
        "en.harassment.your_thing_is",
        "harassment",
        r"{YOUR} (?:[a-z]+ ){0,2}?(?:{BODY}|teeth|hair|clothes|shoes|profile|pics?|photos?|"
        r"selfies?|videos?|art|drawings?|singing|dancing|family|feet|nose|smile|whole vibe)"
        r"(?: ,| is| are| looks?| look| sounds?)? (?:(?:{INT}) )*(?:{HARSH}|{PERSON_INSULT})"
        r"(?= \.|$| ,| af| asf| lol| lmao)",
    ),
    rule(
        "en.harassment.imagine",
        "harassment",
        r"imagine (?:being|looking|sounding|acting|having a face) (?:this|that|so|as) (?:{HARSH}"
        r"|{ADJ})",
    ),
    rule(
        "en.harassment.near_insult",
        "harassment",
        r"(?<!if )(?<!not )(?:{YOU_ARE}) (?:just |only |honestly |genuinely )?(?:a|an|the) "
        r"(?:[a-z]+ ){0,2}?(?:{PERSON_INSULT})(?= \.|$| ,| and| who| that| lol| lmao| af|"
        r" tbh)|{YOU} (?:look|looks|sound|smell|act|dress|talk|walk) like (?:a |an )?(?:[a-z]+ )"
        r"?(?:{PERSON_INSULT}|pig|whale|rat|troll|goblin|gremlin|toad|ape|monkey|cockroach)"
        r"|[.,] (?:{HARSH})(?= \.|$)|{YOU} (?:smell|stink|reek|look|sound|sing|dance) like "
        r"(?:a |an )?(?:[a-z]+ )?(?:bin|toilet|sewer|dump|corpse|rubbish|tramp|drain|skip|dog|"
        r"potato|thumb|foot|horse|fridge|troll|goblin|rat|pig|whale|cow|frog|toad|witch|hag|"
        r"smacked (?:arse|ass)|dying (?:cat|cow|goat))|{YOUR} (?:face|head|mug|body|voice|hair|"
        r"teeth|nose) (?:looks?|sounds?|smells?|is) like (?:a |an )?(?:[a-z]+ )?(?:arse|ass|"
        r"butt|potato|pig|rat|toad|bin|horse|thumb|foot|dog|pizza|toilet)|(?:absolute )?state of {Y"
        r"OU}(?= \.|$| lol| lmao)|"
        r"{YOU_ARE} (?:(?:{INT}) )*(?:thick|dense|dumb|ugly|fat|stupid|thick) as (?:shit|fuck|pig"
        r" shit|a brick|two short planks|mud|hell)|look at (?:this|that|him|her) (?:{PERSON_INSULT}"
        r"|{INSULT}|{MILD})|{YOU} (?:have|got|ve got) the (?:personality|brain|brains|iq|charm|"
        r"looks|face|body|voice|intelligence|dress sense) of (?:a |an )?(?!angel|saint|model|"
        r"goddess|god|queen|king)(?:[a-z]+ )?[a-z]+|(?:{HARSH}|{PERSON_INSULT}) (?:\. )?(?:(?:"
        r"{INT}|{HARSH}) )*(?:\. )?(?:just )?like {YOU}(?= \.|$)|{YOU} (?:(?:{HARSH}|{ADJ}) )+(?:"
        r"girl|boy|man|woman|kid|child|thing|"
        r"bitch|little)(?= \.|$| ,| i | who)",
    ),
    # exclusion
    rule(
        "en.exclusion.voted_out",
        "exclusion",
        r"(?:voted|agreed|decided|said)(?: [^ ]+){0,8}? (?:{YOU_ARE}|{YOU}re) (?:out|off (?:the |ou"
        r"r )?"
        r"(?:team|group|chat|squad|list|guest list))(?= \.|$| of| ,)|{YOU} (?:werent|were not|wasnt"
        r"|was not|arent|are not) (?:invited|asked|included|added) (?:for a reason|on purpose|"
        r"because)|"
        r"{YOU_ARE} out of (?:the|this|our) (?:group|chat|gc|team|squad|server|friend group)|"
        r"why (?:are|r|is) {YOU} (?:(?:even|still) )+(?:here|in (?:this|the|our) (?:chat|group|"
        r"gc|server|team|squad))|who (?:added|let|let in|keeps adding) {YOU}",
    ),
    rule(
        "en.exclusion.done_with_you",
        "exclusion",
        r"(?:go )?(?:find|make|get) (?:some )?(?:other|new|different|your own) friends|(?:private|"
        r"closed|invite only) (?:chat|group|gc|server|party) (?:[.,] )?(?:leave|get out|bye|go "
        r"away)|(?:the rest of us|everyone else|we) (?:are |re )?(?:going|coming|meeting)(?: [^ ]+)"
        r"{0,3}? (?:[.,] )?{YOU} (?:stay|can stay|should stay|re staying|are staying)|(?:were|we ar"
        r"e|were all|"
        r"we are all|everyone is) (?:so |all |completely )?done with {YOU}(?= \.|$| ,| now)|"
        r"(?:we|everyone|everybody|the group|all of us|the whole class|they|the girls|the boys) "
        r"(?:have |all |just )*(?:agreed|decided|voted|are going|are gonna|promised) to (?:ignore|"
        r"block|exclude|leave out|kick|remove|mute|stop talking to|unfriend|unfollow|avoid|freeze "
        r"out) {YOU}|lets (?:all |just )?(?:ignore|exclude|freeze out|leave out|kick|uninvite|"
        r"block) (?:her|him|them|{YOU})(?= \.|$| from| out| ,| forever| completely)",
    ),
    rule(
        "en.exclusion.stay_away",
        "exclusion",
        r"stop (?:trying to |trying )?(?:hang(?:ing)? out|sit(?:ting)?|talk(?:ing)?|follow(?:ing)?"
        r"|tag(?:ging)? along|com(?:e|ing) along|invit(?:e|ing) yourself) (?:out )?(?:with|near|"
        r"to|after) us|(?:this|the|our) (?:group|chat|gc|server|club|table|party|team) is (?:only "
        r")?for (?:[a-z]+ ){1,2}only|(?:dont|do not|no need to) (?:even )?bother (?:coming|showing "
        r"up|turning up|asking|joining|trying to (?:join|come|sit))|go sit (?:somewhere|anywhere)"
        r" else|(?:everyone|everybody|we all|nobody|no one) (?:hates?|likes?|wants?|enjoys?) "
        r"(?:having {YOU}|{YOU} (?:around|here|in (?:the|this|our) (?:group|chat)))|"
        r"(?:dont|do not|never) come back(?= \.|$| ,| here| to (?:the|this|our))|better (?:since"
        r"|now|without) {YOU} (?:left|are gone|went|quit)|"
        r"(?:everyone|everybody|all of us|we)(?:s| is| are|re)? (?:all )?(?:going|invited|coming|"
        r"welcome|in) (?:[a-z]+ ){0,2}?(?:except|but|apart from|besides) {YOU}(?= \.|$| ,| lol|"
        r" haha| obviously| sorry)|without {YOU} (?:on purpose|deliberately|obviously|for a "
        r"reason)|(?:going|meeting|hanging|heading) (?:[a-z]+ ){0,2}?without {YOU}(?= \.|$| ,| "
        r"lol| lmao)|(?:remove|kick|boot|ban|block|delete) (?:her|him|them|{YOU}|this (?:guy|girl|"
        r"kid|person)) (?:out )?(?:from|of) (?:the|this|our) (?:gc|group|chat|server|team|squad)|"
        r"no (?:room|place|space|seat) for {YOU}|(?:added|invited|included) {YOU} (?:by mistake|"
        r"by accident|out of pity|as a joke)|"
        r"{YOU_ARE} not (?:coming|invited|allowed) (?:with us|along|to (?:the|our))|(?:we|"
        r"everyone|they|we all|everybody) (?:all )?(?:unfollowed|unfriended|blocked|muted|"
        r"removed|kicked) {YOU}(?: out)?(?= \.|$| ,| for| because| lol)|uninvited(?= \.|$)|"
        r"{YOU_ARE} (?:removed|kicked|banned|blocked|out) (?:from|of) (?:the |this |our )?(?:[a-z]"
        r"+ )?(?:chat|group|gc|team|server|squad)|sit (?:somewhere|anywhere) else|(?:full|taken|"
        r"closed) for {YOU}|{YOU_ARE} not (?:included|on the list|part of it)"
        r"(?= \.|$| ,)",
    ),
    # doxxing
    rule(
        "en.doxxing.detail_and_call",
        "doxxing",
        r"(?:(?:her|his|their) (?:[a-z]+ ){0,2}?(?:{DETAIL})|(?:{NAMES_})(?:(?:new|real|home|work|p"
        r"rivate|personal) )?"
        r"(?:{DETAIL})|"
        r"(?:real|full) name|(?:id card|passport|dob|date of birth)|(?:house|home|flat|place|shop|"
        r"office) (?:is )?(?:on|at) (?:[a-z0-9]+ ){1,3}?(?:{STRONG_STREET})|(?:its|is|s) on "
        r"(?:[a-z]+ ){1,2}(?:{STRONG_STREET})|(?:she|he|they) works at|{PHONE}) .{0,200}?(?:{CTA}|"
        r"{EXPOSE})|(?:{CTA}) .{0,120}?(?:(?:her|his|their) (?:[a-z]+ ){0,2}?(?:{DETAIL})|(?:its|"
        r"is) on (?:[a-z]+ ){1,2}(?:{STRONG_STREET}))",
    ),
    rule(
        "en.doxxing.posting_theirs",
        "doxxing",
        r"(?:heres|here is|posting|dropping|dropped|leaking|leaked|sharing|found|got) (?:her|his|"
        r"their|(?:this|that) (?:guy|girl|kid|woman|man)s) (?:[a-z]+ ){0,2}?(?:{DETAIL})(?= \.|$|"
        r" ,| and| since| because| cos| so| :| [0-9])|(?:screenshot|photo|pic|picture|scan|copy)"
        r" of (?:her|his|their) (?:id|id card|passport|licen[cs]e|driving licen[cs]e|birth "
        r"certificate|bank details|payslip)|(?:dob|date of birth) and (?:address|number|school)|"
        r"(?:heres|here is|this is|thats) where (?:{THIRD}) (?:lives?|works?|parks?|sleeps?|"
        r"goes|hangs out|trains|walks|drinks|studies)|name (?:[.,] )?(?:[a-z]+ ){1,3}[.,] "
        r"(?:school|address|insta|number|age|lives|phone|work)|(?:{THIRD}|(?:her|his|their) "
        r"[a-z]+) (?:goes to|attends|studies at|works at|works in) (?:[^ ]+ ){1,8}?(?:{CTA})|"
        r"(?:she|he|they) (?:lives?|stays?) (?:above|below|behind|next to|opposite|near|by|at|on"
        r"|in) (?:[^ ]+ ){1,16}?(?:{CTA})|"
        r"(?:found out|found|know|got|figured out|worked out) where (?:{THIRD}) (?:lives?|works?|"
        r"stays?|sleeps?) (?:[^ ]+ ){0,4}?(?:[0-9]+[a-z]? (?:[a-z]+ ){1,2}(?:{STREET})|(?:{STREET})"
        r" [0-9]+)",
    ),
    rule(
        "en.doxxing.leak_yours",
        "doxxing",
        # a warning to leak the reader's private things ("ill leak your photos", "im gonna
        # post ur nudes"): the same verbs with everyday things pass ("ill post your photos
        # from the trip", "ill send your pics to mum")
        r"(?:{WILL}) (?:[a-z]+ ){0,2}?(?:leak|expose) (?:{YOUR}) (?:[a-z]+ )?(?:nudes?|pics?|"
        r"pictures?|photos?|videos?|vids?|messages|texts|dms|chats?|diary|secrets?|screenshots"
        r"|address|number|search history|browser history|emails)|(?:{WILL}) (?:[a-z]+ ){0,2}?"
        r"(?:post|share|send|spread|show|upload|drop|leak|sell) (?:{YOUR}) (?:(?:private|secret|"
        r"naked|nude|dirty) )?(?:nudes|nude pics|nude photos|nude|naked pics|naked photos|sexts|"
        r"private (?:pics|photos|pictures|messages|texts|videos))",
    ),
    rule(
        # what was said in private, sent to someone who matters to them unless they comply
        "en.doxxing.unless",
        "doxxing",
        r"(?:{WILL}) (?:send|show|forward|give|post|share|leak) (?:{YOUR}|to (?:{YOUR})) (?:mum|"
        r"mom|mam|ma|dad|parents|family|nan|boss|teacher|wife|husband|gf|bf|girlfriend|boyfriend"
        r"|manager|coach|whole school|everyone) (?:[a-z]+ ){0,3}?(?:chat logs|logs|chats?|"
        r"screenshots|screenies|dms|messages|texts|nudes|pics|photos|pictures|videos|vids|convo|"
        r"conversation)(?: [a-z]+){0,8}? (?:unless|or else|if (?:{YOU}) (?:dont|do not|wont|will"
        r" not|refuse))",
    ),
    rule(
        "en.self_harm.let_you_die",
        "self_harm_taunt",
        r"should(?: have| ve| of| a|ve|a) (?:just )?(?:let|left) {YOU} (?:to )?(?:drown|die|rot|"
        r"burn|bleed out|choke|starve|freeze)",
    ),
    rule(
        # "the sea's right there, walk in and keep going"
        "en.self_harm.walk_in",
        "self_harm_taunt",
        r"(?:(?:{WATER}) (?:[^ ]+ ){0,8}?(?:walk|swim|wade|jump) (?:in|into it|out|off)|(?:walk|"
        r"swim|wade|jump) (?:in|into|out|off)(?: (?:to|into|the|a|of))* (?:{WATER}))(?: mate| pal"
        r"| pls| please)? (?:and|an|then) (?:keep (?:going|walking|swimming)|dont (?:stop|come "
        r"back|come up)|never come back)(?= \.|$| ,)",
    ),
    rule(
        "en.harassment.idiom",
        "harassment",
        r"thick as (?:two short planks|a plank|mince|pig shit|pigshit|a brick|shit|two planks)|"
        r"couldnt (?:[a-z]+ ){1,4}?if (?:it|they|she|he|you|u) (?:was|were|had been) on rails|"
        r"couldnt (?:organi[sz]e|run) a piss ?up in a brewery|couldnt find (?:(?:his|her|their|"
        r"{YOUR}) )?(?:own )?arse with (?:both hands|a map|a torch)|couldnt pour piss out of a "
        r"boot",
        soft=True,
    ),
    rule(
        "en.harassment.old_bat",
        "harassment",
        r"(?:{YOU}|silly|stupid|daft|deaf|blind|mad|miserable|nosy|nosey|bitter|ugly|fat|dozy|"
        r"crazy|dirty|smelly|evil|nasty|grumpy|mouldy|wrinkly|sour|dried up|saggy) old (?:bat|"
        r"hag|crone|biddy|trout|bag|boot|cow|witch|bint)",
        soft=True,
    ),
    rule(
        # a diagnosis thrown as an insult ("autistic little weirdo")
        "en.harassment.diagnosis",
        "harassment",
        r"(?:autistic|autist|aspie|retarded|spastic|spaz|spazz|mong|schizo|psychotic) (?:little "
        r"|fucking |fkn |stupid |ugly |fat |dumb |absolute |lil )?(?:{INSULT}|{MILD}|weirdo|"
        r"freak|tard)",
        firm=True,
    ),
    rule(
        # who someone is, mocked as a passing whim ("trans or whatever you are this week")
        "en.harassment.whatever_you_are",
        "harassment",
        r"(?:trans|gay|bi|lesbian|nonbinary|non binary|enby|queer|pansexual|genderfluid|a boy|a"
        r" girl|a man|a woman|he|she|they|pronouns?) or whatever (?:{YOU_ARE}|you call (?:yourself"
        r"|it)|(?:{YOU_ARE}) calling (?:yourself|it)|(?:hes|shes|theyre|he is|she is|they are)|"
        r"(?:he|she|they) calls? (?:himself|herself|themselves|themself|it))",
        firm=True,
    ),
    rule(
        # someone's looks or faith made a bomb joke
        "en.harassment.bomber",
        "harassment",
        r"(?:look|looks|looking) like (?:hes|shes|theyre|youre|ur|he is|she is|you are|they are"
        r"|he|she|you|u) (?:about to|gonna|going to|bout to|fixing to|finna|ready to) (?:blow up"
        r"|bomb) (?:the|a|this|that|our|everything|something|summat|some)|(?:{YOU}|he|she|they"
        r"|youre|ur|hes|shes|theyre) (?:look|looks|looking) like (?:a|an) (?:terrorist|suicide "
        r"bomber|bomber|jihadi)",
        firm=True,
    ),
    rule(
        "en.exclusion.not_back",
        "exclusion",
        r"(?:dont|do not|never|nobody) (?:add|invite|let|put) (?:him|her|them|em) back(?: in)?"
        r"|(?:were|we are|im|i am|glad to be|good to be|nice to be) (?:finally )?(?:free|rid) "
        r"of (?:him|her|them|{YOU})|not (?:adding|inviting|including) (?:him|her|them)(?= \.|$|"
        r" ,| obviously| lol| tho| though| this time| again)|(?:if|when) (?:he|she|they|[a-z]+) "
        r"asks?(?: ,)? (?:(?:its|it is|say|tell (?:him|her|them)(?: its)?) (?:cancelled|canceled|"
        r"off|not on|not happening)|(?:theres|there is) no)|tell (?:him|her|them) (?:it|its|it "
        r"is|it was) (?:got |been )?(?:cancelled|canceled|called off|off)",
    ),
)
