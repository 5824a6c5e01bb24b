"""English phrase lists and rules (see :mod:`socialode.safety.rules` for the pattern syntax).

Patterns are matched against normalised words: lower case, no apostrophes ("you're" is
"youre", "i'll" is "ill"), leetspeak undone. To add a word, add it to the list it belongs to;
to add a way of saying something, add a rule with a new id ("en.<category>.<what>").
Insults that friends also throw at each other ("idiot", "bastard") are in ``MILD`` and their
rules are soft: an affectionate cue in the same text ("love you", "haha", "enjoy") clears them.
"""

from __future__ import annotations

from socialode.safety.rules import Rule, rule

# "my nan lives at ...": not after "my", "our" or "your" and one word (look-behinds are fixed)
_NOT_AFTER_MINE = "".join(
    f"(?<!{whose} [a-z]{{{n}}} )" for whose in ("my", "our", "your") for n in range(2, 11)
)

MACROS: dict[str, str] = {
    "YOU": r"you|u|ya|yu|ye",
    "YOUR": r"your|ur|yr|yor",
    "YOURSELF": (
        r"yourself|your self|urself|ur self|yourselves|yrself|yo self|yoself|yaself|ya self|"
        r"urslf|yourslf"
    ),
    "YOU_ARE": (
        r"you are|youre|you re|ur|u r|u are|you r|ure|yer|your(?= (?:an?|so|such|the|just"
        r"|really|fucking|literally|actually) )|you(?= (?:an?|so|such) )"
    ),
    "INT": (
        r"so|such|an?|the|one|really|rly|very|fucking|fuckin|fkn|fking|fcking|freaking|"
        r"effing|bloody|absolute|absolutely|total|totally|complete|completely|utter|utterly|"
        r"literally|just|actually|truly|pure|proper|massive|huge|big|little|damn|goddamn|"
        r"biggest|most|real|such an?|like|still|always|nothing but|f ing|f in|effin|genuinely|"
        r"honestly|seriously|lowkey|highkey|definitely|probably"
    ),
    # words that are an insult whoever says them
    "ADJ": (
        r"stupid|stoopid|dumb|idiotic|worthless|useless|pathetic|disgusting|gross|ugly|fat|"
        r"hideous|repulsive|retarded|brainless|braindead|brain dead|vile|revolting|creepy|"
        r"fugly|smelly|fat ass|fatass|dirty|filthy|sad|insufferable|unbearable|unlovable|"
        r"worthless little|spineless|ignorant|annoying|deformed|inbred|trashy|nasty|"
        r"miserable|talentless|clueless|lame|rank|four eyed|speccy|specky|stinkin|stinking"
    ),
    "INSULT": (
        r"loser|looser|moron|imbecile|retard|freak|failure|disgrace|embarrassment|"
        r"waste of (?:[a-z]+s )?(?:space|air|oxygen|skin|time|life|breath)|piece of (?:shit|crap|ga"
        r"rbage|trash)|"
        r"pos|slut|whore|skank|cunt|dickhead|asshole|arsehole|prick|twat|wanker|scumbag|scum|"
        r"pig|cow|parasite|clown|joke|disappointment|mistake|nobody|creep|psycho|jackass|"
        r"dipshit|shithead|fatso|fatass|lardass|whale|bimbo|hoe|degenerate|trash|garbage|"
        r"fatty(?! (?:acids?|foods?|liver|meats?|fish|bits?|tissue|deposits?|snacks?|cuts?))|"
        r"sped(?! (?:up|off|past|through|away|down|along|by|home|back|across|around|to|into|out|"
        r"on|over|in|towards?|round|after|ahead|forward))|"
        r"rat|snake|weasel|cockroach|leech|sack of shit|subhuman|thot|tramp|"
        r"slag(?!s? (?:off|heaps?|me|you|u|him|her|them|us|it|everyone|people))|"
        r"incel|virgin|reject|nonce|pervert|perv|troll|coward|fraud|fake|liar|bogan|minger|"
        r"munter|slob|"
        r"attention whore|pick me|karen|simp|dumb fuck|dumbfuck|fucker|motherfucker|fuckface|"
        r"fuck(?! up| it| around| off| with| me| yeah| him| her| them| this| that| you| u)"
    ),
    "MILD": (
        r"idiot|bastard|dork|dummy|goof|muppet|nerd|weirdo|dumbass|numpty|div|wally|doofus|"
        r"nutter|git|sod|brat|dumbo|geek|dweeb|knob|knobhead|plonker|pillock|prat|tit|"
        r"menace|clown|donkey|potato|noob|nob|goober|nutcase|wanker|bitch|animal|monster"
    ),
    "BODY": (
        r"face|ass|arse|body|mug|voice|head|brain|existence|life|hair|teeth|skin|self|"
        r"nose|legs|laugh|personality|posts|outfit|fat face|fat ass|mouth|gob|trap|eyes|ears|"
        r"belly|thighs|feet|forehead|chin"
    ),
    "WILL": (
        r"i|ill|i ll|i will|im gonna|im going to|i am going to|i am gonna|ima|imma|im finna|"
        r"gonna|going to|were gonna|we will|we are going to|were going to|i swear ill|"
        r"i swear i will|i swear im gonna|i want to|i wanna|im about to|gunna|i shall|"
        r"they will|theyll|theyre gonna|well|we ll|"
        r"my [a-z]+ (?:will|are gonna|gonna|is gonna|are going to|is going to|wil)"
    ),
    "HARM": (
        r"kill|murder|hurt|stab|shoot|beat|beat up|smash|punch|kick|strangle|choke|end|"
        r"destroy|slap|bash|batter|break|burn|hunt down|hunt|rape|bury|torture|jump|cripple|slit|"
        r"drown|gut|wreck|slice|cut|f up|fuck up|mess up|knock out|deck|whack|batter|snap"
    ),
    "STREET": (
        r"street|st|road|rd|avenue|ave|lane|ln|drive|dr|close|way|court|ct|place|pl|"
        r"crescent|terrace|blvd|boulevard|rua|avenida|av|travessa|largo|praca|estrada|alameda|"
        r"apartment|apt|flat|block|building|floor"
    ),
    "PHONE": r"\+?\d{2,4}(?: ?\d{2,4}){2,4}",
    "THIRD": (
        r"she|he|they|shes|hes|theyre|this (?:guy|girl|kid|loser|bitch|dude|woman|man|person|"
        r"freak|creep|idiot)|that (?:guy|girl|kid|loser|bitch|dude|woman|man|person|freak|creep)"
    ),
    "THEIR": (
        r"her|his|their|(?!this |its |was |is |yes |has |does |us |ours |whats |thats |"
        r"lets |hers |theirs |yours |thanks |plans |mums |moms |parents |friends )[a-z]+s"
    ),
    # a possessive before a private detail, this pattern and its trailing space ("her ",
    # "toms "): a word ending in "s" that is not one of the common words that do
    "POSS_": (r"(?:her|his|their) |{NAMES_}"),
    "NAMES_": (
        r"(?<=[a-z]s )(?<![^a-z]is )(?<!this )(?<!its )(?<!was )(?<!has )"
        r"(?<!does )(?<!yes )(?<!thats )(?<!whats )(?<!lets )(?<!yours )(?<!ours )(?<!hers )"
        r"(?<!thanks )(?<!plans )(?<!mums )(?<!moms )(?<!parents )(?<!friends )(?<![^a-z]us )"
        r"(?<!dentists )(?<!doctors )(?<!vets )(?<!shops )(?<!offices )(?<!schools )"
    ),
    # the verb of "<someone> lives at", when the someone is not the writer or their own
    "NOT_MINE": (
        r"(?<![^a-z]i )(?<!^i )(?<!we )(?<!you )(?<![^a-z]u )(?<!ill )(?<!id )(?<!i still )"
        r"(?<!we still )(?<!i now )(?<!we now )" + _NOT_AFTER_MINE
    ),
    # exposure framing: the person is hiding, or the writer wants them found
    "EXPOSE": (
        r"too bad|hide from|hiding from|wont answer|doesnt answer|ignoring us|blocked (?:us|me|"
        r"everyone)|you didnt get (?:this|it) from me|before (?:she|he|they) (?:deletes?|changes?)"
        r"|easy to find|(?:call|text|ring|spam) it|all night|let (?:her|his|their) (?:boss|"
        r"school|parents|mum|mom|dad|work|manager|teachers?) know|have fun"
    ),
    # dropping someone together ("everybody unfollow her", "we're all blocking him")
    "DROP": r"unfollow|unfriend|block|mute|ignore|remove|kick|ghost|drop",
    "DROPPING": (
        r"unfollowing|unfriending|blocking|muting|ignoring|removing|kicking|ghosting|dropping"
    ),
    "THEM_OUT": r"(?:her|him|them)(?! (?:back|out of (?:the )?(?:house|car|bed)))",
    "CTA": (
        r"go (?:and )?(?:tell|show|pay|visit|find|wait|give|make|let|say|see|ask|confront)|"
        r"(?:everyone|everybody|yall|you all|someone|somebody|guys|people) (?:go|show up|"
        r"call|text|spam|message|visit|tell|find|wait|let|should)|lets (?:all )?(?:go|show|"
        r"pay|visit|wait|find|spam|call|text|make|tell|ruin)|you (?:all )?know what to do|"
        r"do your thing|spread (?:it|this|the word)|expose (?:her|him|them)|"
        r"share (?:this|it) everywhere|pay (?:her|him|them) a visit|show up (?:there|at)|"
        r"make (?:her|his|their) life hell|spam (?:her|him|them)|"
        r"(?:call|text|ring|message) (?:her|him|them|this number)|let (?:her|his|their) (?:[a-z]+"
        r" )?(?:boss|school|parents|mum|mom|dad|work|manager|teachers?|family|employer|wife|"
        r"husband|girlfriend|boyfriend) know|make (?:her|him|them) (?:regret|pay|sorry|suffer)|"
        r"make sure (?:she|he|they|everyone|her|his) (?:hears|knows|sees|finds out)|blow (?:it|"
        r"her phone|his phone|their phone) up|tell (?:them|her|him|(?:her|his|their) [a-z]+) what ("
        r"?:she|he|they) (?:did|is"
        r" like|are like|said|did to)|leave (?:reviews|comments|a review|bad reviews)|make sure "
        r"(?:everyone|everybody) (?:knows|sees)|send (?:this|it) to (?:everyone|her|his)|do what "
        r"(?:you|u) (?:want|like) with (?:that|this|it)|show (?:her|him|them) what we think"
    ),
}

# Threats and self-harm taunts are in phrases_en_threats; disclosures and cues in
# phrases_en_context.
RULES: tuple[Rule, ...] = (
    # doxxing
    rule(
        "en.doxxing.their_address",
        "doxxing",
        r"(?:{POSS_})(?:(?:home|real|new|house|full|exact|current|work|school|home) )?(?:address|"
        r"addy|location|postcode|zip code|whereabouts) (?:is |= |\. |:)?(?:[^ ]+ ){0,4}?(?:\d+|"
        r"(?:{STREET})(?= ))",
    ),
    rule(
        "en.doxxing.lives_at",
        "doxxing",
        r"(?:{NOT_MINE})(?:lives?|stays?|sleeps?|is staying) "
        r"(?:at|on) (?:[^ ]+ ){0,4}?(?:\d+[a-z]? (?:[^ ]+ ){0,3}?(?:{STREET})|(?:{STREET}) "
        r"(?:[^ ]+ ){0,4}?\d+)",
    ),
    rule(
        "en.doxxing.their_number",
        "doxxing",
        r"(?:(?:her|his|their) (?:[a-z]+ )?|(?:{NAMES_})(?=(?:[^ ]+ ){0,40}?(?:{CTA}|{EXPOSE})))"
        r"(?:(?:phone|mobile|cell|home|whatsapp|personal|private|real|new|work) )?"
        r"(?:numbers?|phone|mobile|cell|digits|whatsapp|nr|no) (?:is |= |[.,] )?(?:[^ ]+ ){0,2}?"
        r"{PHONE}|"
        r"(?:call|text|ring|spam|message|msg|whatsapp|prank call|harass) (?:her|him|them|this "
        r"(?:guy|girl|loser|bitch|freak|creep)) (?:at|on) {PHONE}",
    ),
    rule(
        "en.doxxing.heres_their",
        "doxxing",
        r"(?:heres|here is|here s|found|got|leaked|leaking|posting|dropping|dropped) (?:{THEIR})"
        r" (?:(?:home|real|full|house|private|personal|phone) )?(?:address|addy|number|location|"
        r"school|workplace|ip|details|info|socials)|(?:post|posting|leak|leaking|drop|spread|"
        r"publish|expose) (?:{THEIR}) (?:(?:home|real|full|house|private|personal|phone) )?"
        r"(?:address|addy|number|location)|(?:found|know|got) where (?:{THIRD}) (?:lives?|works?"
        r"|stays?|sleeps?) (?:[.,] )?(?:[^ ]+ ){0,2}?\d+|(?:this is|heres|here is|thats) where "
        r"(?:{THIRD}) (?:lives?|works?|stays?|sleeps?) (?:[.,] )?(?:[^ ]+ ){0,2}?\d+|(?:dox|doxx|do"
        r"xxing|doxing)(?:ed)? (?:her|"
        r"him|them|this|that|the)",
    ),
    rule(
        "en.doxxing.exposed_with_call",
        "doxxing",
        r"(?:address|addy|lives (?:at|on|in|near)|works (?:at|in|for|as)|studies at|goes to "
        r"(?:[^ ]+ ){0,2}(?:school|college|uni|high|academy)|school is|number is|{PHONE}|"
        r"\d+[a-z]? (?:[^ ]+ ){0,3}?(?:{STREET})|works the (?:night|day|late|early) shift at|"
        r"(?:{THIRD}) (?:is |s )?(?:at|in) (?:[^ ]+ ){0,3}?(?:school|college|academy|high|uni|"
        r"university|office|gym|work)) "
        r".{0,200}?(?:{CTA})|(?:{CTA}) .{0,200}?(?:{PHONE}|address|addy|\d+[a-z]? (?:[^ ]+ )"
        r"{0,3}?(?:{STREET}))",
    ),
    rule(
        # "I'll leak the audition tape" (leaking what is the reader's: en.doxxing.leak_yours);
        # "your messages are going on the noticeboard"; "post it or you cover my shifts"
        "en.doxxing.put_up",
        "doxxing",
        r"(?:{WILL}) (?:leak|expose) (?:the|that|this|those|these|all|all of) (?:the )?"
        r"(?:[a-z]+ ){0,2}?(?:tapes?|videos?|vids?|pics?|photos?|pictures?|screenshots?|messages|"
        r"texts|chats|dms|nudes|recordings?|voice notes?|audio|footage|clips?)|"
        r"{YOUR} (?:private )?(?:messages|texts|dms|chats|emails|letters|nudes|screenshots)"
        r"(?: [^ ]+){0,6}? (?:are going|going|will go|are gonna go|gonna go) (?:up )?(?:on|in|"
        r"to) (?:the |her |his |my |their |our )?(?:noticeboard|notice board|story|stories|wall|"
        r"facebook|insta|instagram|"
        r"twitter|tiktok|whole school|staff room)|"
        r"(?:post|leak|share|send|show|upload) (?:it|them|this|that) (?:to [a-z]+ )?or {YOU} "
        r"(?:[^ ]+ ){1,8}?(?:[.,] )?(?:your choice|ur choice|up to you|choose)",
        soft=True,
        firm=True,
    ),
    # exclusion
    rule(
        "en.exclusion.nobody_wants_you",
        "exclusion",
        r"(?:nobody|no one|noone|no1|no body|none of us|not one of us|not a single person)"
        r"(?: (?:in|at|from|on) (?:the |this |our |my )?[a-z]+)? "
        r"(?:here |even |actually |really |ever |fucking )*(?:wants?|likes?|liked|invited|asked "
        r"for|needs?|cares? for|wanted|wants? to be (?:friends|seen|partners|mates) with|wants to"
        r" (?:see|talk to|sit with|hang out with|[a-z]+ "
        r"with|[a-z]+ next to|be (?:with|near|around))) {YOU}"
        r"(?! to (?!come|join|be here|stay|show up))",
    ),
    rule(
        "en.exclusion.we_dont_want_you",
        "exclusion",
        r"(?:we|they|i|the group|everyone) (?:dont|do not|didnt|never) (?:want|need|like) {YOU}"
        r"(?= here| around| anymore| any more| in | at | on | \.|$| to come| there| with us| near"
        r"| for)",
    ),
    rule(
        "en.exclusion.not_welcome",
        "exclusion",
        r"(?:(?:{YOU_ARE}) not|{YOU} (?:arent|are not|r not|aint|re not)) (?:welcome|invited|"
        r"wanted|one of us|part of (?:this|the|our) (?:group|team|squad|crew|friend group)|"
        r"allowed (?:here|in|to (?:come|sit|join|be here)))(?! to (?:bring|join us for)| yet)|"
        r"{YOU} (?:dont|do not|will never|never) (?:belong|fit in)(?! with the)|"
        r"{YOU} (?:cant|can not|cannot) sit with us|(?:we|i) only (?:invited|invite|want|asked)"
        r" (?:people|friends|those) (?:we|i) (?:actually |really )?(?:like|want|care about)|"
        r"{YOU} (?:were|was|are|r|have) never (?:been )?(?:part of|one of us|welcome|invited|"
        r"wanted|really one of us)|(?:were|we are|the group is|everyone is|wed be|wed all be) "
        r"(?:all )?(?:so much )?better (?:off )?without {YOU}(?= in| here| around| at)|"
        r"nobody invited {YOU}|"
        r"who (?:invited|asked) {YOU}|(?:nobody|no one|noone) (?:even )?(?:asked|told|wanted) "
        r"{YOU} to (?:come|join|be here|show up|tag along)|(?:dont|do not) (?:even )?(?:think "
        r"about |try )?(?:sitting|sit|hanging out|hang out) (?:with|near) us|(?:kick|kicking|"
        r"kicked|throw|throwing|vote|voting|voted) {YOU} out(?! of (?:the )?(?:house|car|bed))|"
        r"(?:were|we are|everyone is|were all|we are all) (?:all )?(?:going|meeting|hanging out|"
        r"going out) without {YOU}(?! since| cause| because| as | unless| if | this time| today"
        r"| tonight| while)",
    ),
    rule(
        "en.exclusion.leave_group",
        "exclusion",
        r"(?<!should )(?<!could )(?<!can )(?<!to )(?<![^a-z]i )(?<!ill )(?<!might )(?<!will )"
        r"(?<!just )(?<!may )(?:get out|leave|gtfo|get lost|go away|piss off|fuck off|get the fuck "
        r"out|bugger off) "
        r"(?:of |from )?(?:our|this|the|my) (?:group|chat|team|club|table|circle|squad|server|"
        r"gc|friend group|lives|party)|leave \. (?:the|this|our) \. (?:group|chat|gc|team|club)|"
        r"(?:stay|keep) away from (?:us|our group|my friends|our "
        r"table)|(?:we|they|i) (?:left|kicked|removed|blocked|muted) {YOU}(?: out)? (?:on purpose|"
        r"because (?:nobody|no one))|(?:made|have|created|started) (?:a |another |new |a new )?"
        r"(?:group|chat|gc) without {YOU}|(?:were|we are|everyone is) (?:all )?(?:going|meeting|"
        r"hanging out) without {YOU} (?:on purpose|because)|{YOU} (?:have|got) no friends",
    ),
    rule(
        "en.exclusion.only_for_people_we_like",
        "exclusion",
        r"(?:this|the|our) (?:group|chat|gc|party|table|club) is (?:only )?for (?:people|friends)"
        r" (?:we|i) (?:actually |really )?(?:like|want|invited)",
    ),
    rule(
        "en.exclusion.no_friends",
        "exclusion",
        r"(?:nobody|no one|noone|no1) (?:wants|would want|will ever want|would ever want) to be "
        r"{YOUR} friend|{YOU_ARE} (?:(?:{INT}) )*(?:uninvited|disinvited|banned from (?:the|our|"
        r"this) (?:group|party|chat))|(?:youve|you have|youre|you are|ur) been (?:uninvited|"
        r"disinvited|kicked out)",
    ),
    rule(
        # "everybody unfollow her rn"; "we're all blocking him on roblox at the same time"
        "en.exclusion.all_drop_them",
        "exclusion",
        r"(?:everyone|everybody|every1|yall|you all|guys|lets all|let us all|we all|all of us|we "
        r"should all|we should) (?:should |must |need to |have to |just )?(?:{DROP}) (?:{THEM_OUT})"
        r"|(?<!they )(?<!who )(?<!that )(?<!kids )(?<!people )(?<!others )(?:were all|we are all|"
        r"were gonna|were going to|we are going to|we will all|well all) (?:gonna |going to )?"
        r"(?:{DROP}|{DROPPING}) (?:{THEM_OUT})|(?:will|is|are|shall) no longer be (?:included|"
        r"invited|welcome|asked|added) (?:in|to|at|on)",
        soft=True,
        firm=True,
    ),
    rule(
        # "he's dead to us": mostly said in jest, over a spoiled ending (a cue clears it)
        "en.exclusion.dead_to_us",
        "exclusion",
        r"(?:{YOU_ARE}|hes|shes|theyre|he is|she is|they are) (?:now |officially |so |literally )?"
        r"dead to (?:us|me|everyone|all of us|the group)",
        soft=True,
    ),
    # harassment
    rule(
        "en.harassment.you_are_insult",
        "harassment",
        r"{YOU_ARE} (?:(?:{INT}) )*(?:(?:{ADJ}|{MILD}) )*(?:{INSULT})|{YOU_ARE} (?:(?:{INT}) )*"
        r"(?:{ADJ})(?! (?:good|lucky|rich|talented|cute|funny|strong|fast|clever|at|about|"
        r"that|with|for|as|enough|when))|{YOU_ARE} (?:(?:{INT}) )*(?:{ADJ}) (?:{MILD})",
    ),
    rule(
        "en.harassment.superlative",
        "harassment",
        r"{YOU_ARE} (?:(?:{INT}) )*(?:the )?(?:dumbest|stupidest|ugliest|fattest|weirdest|"
        r"grossest|worst|most (?:pathetic|disgusting|annoying|useless|worthless|boring|"
        r"hideous)) (?:person|human|thing|girl|guy|kid|loser|idiot|excuse|creature|waste)",
    ),
    rule(
        "en.harassment.addressed",
        "harassment",
        r"(?<!are )(?<!r )(?<!were )(?<!see )(?<!thank )(?:{YOU}) (?:(?:{INT}) )*(?:{ADJ})(?= af| a"
        r"s"
        r" fuck| asf| as hell| \.|$)|{YOU} (?:{ADJ}) little (?:man|boy|girl|woman|person|thing|"
        r"shit|creature|worm|rat|bitch|prick)|, (?:(?:{ADJ}) )*(?:{INSULT})(?= \.|$| ,)|"
        r"{YOU_ARE} the reason (?:{YOUR} (?:parents|mom|mum|dad|family)|nobody|no one|everyone "
        r"(?:hates|left))|{YOU} (?:stink|reek)|{YOU} smell(?= \.|$| bad| like (?:shit|garbage|"
        r"trash|a pig|poo|crap|piss))",
    ),
    rule(
        "en.harassment.you_are_mild",
        "harassment",
        r"{YOU_ARE} (?:(?:{INT}) )*(?:{MILD})",
        soft=True,
    ),
    rule(
        "en.harassment.vocative",
        "harassment",
        r"(?:{YOU}) (?:(?:{INT}) )*(?:(?:{ADJ}|{MILD}) (?:(?:{INT}) )*)*(?:{INSULT})|(?:{YOU}) "
        r"(?:(?:{INT}) )*(?:{ADJ}) (?:{MILD})|(?:{ADJ}) (?:little |old |fat |ass |fucking )?"
        r"(?:{INSULT}|{MILD})",
    ),
    rule(
        "en.harassment.vocative_mild",
        "harassment",
        r"(?:{YOU}) (?:(?:{INT}) )*(?:{MILD})",
        soft=True,
    ),
    rule(
        "en.harassment.your_face",
        "harassment",
        r"{YOUR} (?:(?:{INT}) )*(?:{ADJ}) (?:{BODY})|{YOUR} (?:face|body|voice|existence|"
        r"breath|personality|life|whole life) (?:is|was) (?:a |an |such a )?(?:{INSULT})|{YOUR} "
        r"(?:face|body|voice|existence|"
        r"breath|personality) (?:is|looks|makes me) (?:so |fucking |really )?(?:{ADJ}|sick|"
        r"like (?:a )?(?:{INSULT}))|{YOUR} (?:mom|mum|mother|sister) (?:is )?(?:a )?(?:whore|"
        r"slut|hoe|bitch)|{YOU} (?:look|looks|smell|stink|sound) like (?:a |an |the )?"
        r"(?:(?:{ADJ}) )*(?:{INSULT}|shit|"
        r"crap|garbage|trash|a pig|a whale|a rat|roadkill|a (?:dead )?rat)",
    ),
    rule(
        "en.harassment.shut_up_insult",
        "harassment",
        r"(?:shut up|stfu|shut it|shut your mouth|bye|go away|get lost|piss off|fuck off|sit "
        r"down|cry more|cope|seethe|whatever|nobody asked|ok|okay|lol|lmao|ew|eww|ugh|hey|yo|oi) "
        r"(?:[.,] )?(?:(?:{ADJ}) )*(?:{INSULT})",
    ),
    rule(
        "en.harassment.fuck_you",
        "harassment",
        r"(?:fuck|f\*ck|fck|fk|fuk|screw|sod) (?:{YOU}|off and die)|(?:go )?(?:fuck|screw) "
        r"{YOURSELF}|stfu|shut the fuck up|shut your (?:fucking )?(?:mouth|face|trap)",
        soft=True,
    ),
    rule(
        "en.harassment.hate_you",
        "harassment",
        r"(?:i|we|everyone|everybody|we all|all of us) (?:really |fucking |just |literally |"
        r"honestly |all )?(?:hate|hates|despise|despises|loathe|cant stand|can not stand) "
        r"(?:{YOU}|your guts|everything about {YOU})",
        soft=True,
    ),
    rule(
        "en.harassment.contempt",
        "harassment",
        r"{YOU} (?:disgust|sicken|repulse|revolt|embarrass) (?:me|us|everyone)|{YOU} make (?:me|"
        r"us|everyone) (?:sick|want to (?:puke|vomit|throw up))|(?:nobody|no one|noone) (?:cares|"
        r"gives a (?:shit|fuck|damn|crap)) (?:about|what) {YOU}|nobody asked (?:{YOU}|for your)|"
        r"{YOU}(?:ll| will) never (?:be|amount to|find|get) (?:anything|anyone|anybody|loved|good"
        r" enough|a (?:boyfriend|girlfriend|job))|{YOU_ARE} nothing(?= \.|$| but| to (?:me|"
        r"anyone|us))|(?:{YOUR}) (?:parents|mom|mum|dad|family) (?:hate|regret|are ashamed of|"
        r"should have aborted) (?:{YOU}|having {YOU})|(?:nobody|no one) (?:will|would|could) "
        r"ever (?:love|date|want|marry|fuck|fancy|like|kiss|touch|go out with|look at) {YOU}|"
        r"{YOUR} (?:own )?(?:mum|mom|mother|dad|father|parents|family|friends|sister|brother) "
        r"(?:cant|can not|cannot|doesnt|dont|do not|does not) (?:stand|like|love|want) {YOU}|"
        r"even {YOUR} (?:own )?(?:mum|mom|mother|dad|parents|family|friends) (?:hates?|cant "
        r"stand)|go cry (?:to {YOUR} (?:mum|mom|mummy|mommy|mama)|about it|somewhere else|me a "
        r"river)|(?:what|such) a (?:(?:{ADJ}) )?waste of "
        r"(?:space|air|oxygen)|{YOU} (?:ruin|ruined) everything",
    ),
    rule(
        "en.harassment.laughed_at",
        "harassment",
        r"(?:everyone|everybody|people|we all|all of us|the whole (?:school|class)) (?:laughs?|"
        r"laughing|talks?|talking|makes? fun|making fun) (?:at|about|of) {YOU}",
    ),
    rule(
        "en.harassment.imagine_being",
        "harassment",
        r"imagine (?:being|looking|having|sounding) (?:as |so )?(?:{ADJ}) (?:as|like) {YOU}|"
        r"imagine being {YOU}(?= \.|$| lol| lmao| ew)",
    ),
    rule(
        "en.harassment.are_you_stupid",
        "harassment",
        r"are {YOU} (?:(?:{INT}) )*(?:stupid|dumb|retarded|brain dead|braindead|thick|mental|"
        r"an idiot|a moron|slow|deaf)",
        soft=True,
    ),
)
