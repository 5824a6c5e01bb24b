"""English rules for threats and self-harm taunts (see :mod:`socialode.safety.phrases_en` for
the lists they use and :mod:`socialode.safety.rules` for the pattern syntax)."""

from __future__ import annotations

from socialode.safety.rules import Rule, rule

MACROS: dict[str, str] = {
    "BEAT_OUT_OF": (
        r"(?:beat|kick|knock|punch|smack|slap) the (?:shit|crap|hell|life|living daylights|fuck)"
        r" out of"
    ),
    # where someone (or what they hold) is thrown: "off the pier", "out the window"
    "THROWN_TO": (
        r"overboard|off (?:the|a|that|ur|your) (?:boat|pier|bridge|cliff|roof|balcony|"
        r"harbour wall|jetty|dock)|out (?:of )?(?:the|a) window|in(?:to)? the (?:harbour|river|"
        r"canal|sea|loch|lake|quarry)"
    ),
}

RULES: tuple[Rule, ...] = (
    # self-harm taunts
    rule(
        "en.self_harm.kill_yourself",
        "self_harm_taunt",
        r"(?<!dont )(?<!do not )(?<!never )(?<!not )(?:kill|end|unalive|hang|neck|"
        r"shoot|drown|delete|rope|hurt|cut|starve) ?{YOURSELF}(?! laughing| working| studying"
        r"| trying| over| for| doing| with| on| at)",
    ),
    rule(
        "en.self_harm.kys",
        "self_harm_taunt",
        r"kys|kyss|kill ur self|k y s|kill (?:\. )?your (?:\. )?self",
    ),
    rule(
        "en.self_harm.go_die",
        "self_harm_taunt",
        r"(?:go|pls|please|plz|just|then|now|gonna|can you|why dont you|why not) (?:and |just )?"
        r"(?:die|d1e|drop dead|rot|die already)(?! of laughter| laughing)|die in a (?:hole|ditch|"
        r"fire|corner)|drop dead|just die",
    ),
    rule(
        "en.self_harm.methods",
        "self_harm_taunt",
        r"(?:drink|go drink|eat|swallow|chug|take) (?:some )?(?:bleach|poison|pills|a bullet|"
        r"rat poison)|(?:go )?jump (?:off|of|from) (?:a |the |some )?(?:bridge|building|cliff|"
        r"roof|balcony)|(?:slit|cut|slice) {YOUR} wrists?|go play in traffic|"
        r"(?:get|buy) (?:a|some) rope",
    ),
    rule(
        "en.self_harm.nobody_would_miss",
        "self_harm_taunt",
        r"(?:nobody|no one|noone|no1|no body|not a single person) (?:would|will|is going to|is "
        r"gonna|gonna|would even|will even|would ever|d) (?:miss|notice|care|cry|mourn|"
        r"remember)(?: it)? (?:{YOU}|(?:if|when|after) (?:{YOU}|youre|ur|your)|about {YOU}|at your "
        r"funeral)",
    ),
    rule(
        "en.self_harm.world_better",
        "self_harm_taunt",
        r"(?:the )?world (?:would be|would be a|is|will be|d be|would|be) (?:so much |a lot |"
        r"a )?(?:better|nicer|happier)(?: place| off)? (?:without {YOU}|if {YOU} (?:were|was|"
        r"died|didnt exist|never existed))|"
        r"(?:everyone|we|your family|your parents|the world|everybody) "
        r"(?:would be|is|are|d be|will be) better off (?:without {YOU}|if {YOU} (?:died|were "
        r"dead|were gone))|{YOU}(?:d| would) be better off (?:dead|six "
        r"feet under|in the ground|in a grave)|better off dead|(?:would be|d be|"
        r"will be) (?:so much )?(?:happier|better off) (?:without {YOU}|if {YOU} (?:were|was) "
        r"(?:dead|gone|never born))",
    ),
    rule(
        "en.self_harm.should_die",
        "self_harm_taunt",
        r"{YOU} (?:should|shouldve|should have|need to|ought to|deserve to) (?:just |really "
        r"|honestly )?(?:die|be dead|go die|not exist|end it|never (?:have )?been born|disappear"
        r" forever|stop breathing)|{YOU} (?:dont|do not) deserve to (?:live|exist|be alive|"
        r"breathe)|(?:considered|try|tried|thought about|just) (?:not existing|stop existing)|"
        r"end it (?:already|all)|just end it(?= \.|$)|"
        r"do (?:us|everyone|everybody|the world)(?: all)? a favou?r and (?:die|disappear|kill|end"
        r"|off|vanish|stop breathing|jump|(?:ride|drive|walk|run|crash|cycle) (?:{YOUR} [a-z]+ )?"
        r"into (?:a|the) (?:wall|tree|river|lake|sea|traffic|bus|train|lorry|truck))|"
        r"(?:i )?(?:hope|wish) {YOU} (?:die|d1e|drop dead|rot|"
        r"never wake up|were dead|would die|kill {YOURSELF}|get cancer and die)|why (?:are|r) "
        r"{YOU} (?:(?:still|even) )*(?:alive|breathing|here)|{YOU} (?:should have|shouldve) been "
        r"(?:aborted|an abortion)|commit (?:die|suicide|sudoku|toaster bath)",
    ),
    # threats
    rule(
        "en.threat.will_harm",
        "threat",
        r"(?:{WILL}) (?:fucking |f ing |f in |effing |literally |actually |personally |"
        r"seriously |come and |come |go |find you and |find u and )?(?:{HARM}) (?:{YOU}|"
        r"{YOUR} (?:face|head|legs|arms|"
        r"neck|skull|teeth|family|house|car|kids|mom|mum|sister|brother|dog|jaw|nose|throat|"
        r"whole family|entire family|family)|yo)"
        r"(?! at | in (?:a|the|fortnite|chess|mario)| on (?:the|mario))",
        soft=True,
    ),
    rule(
        "en.threat.you_are_dead",
        "threat",
        r"{YOU_ARE} (?:so |fucking |literally |actually |gonna be |going to be )?(?:dead|dead meat"
        r"|gonna die|going to die|done for|finished|next|a dead man|a dead woman)(?! tired| to me"
        r"| right| on| serious| wrong| lucky| cute| funny| inside| set| ass)",
        soft=True,
    ),
    rule(
        "en.threat.watch_back",
        "threat",
        r"(?:watch|better watch|mind|cover) {YOUR} back|sleep with one eye open|"
        r"(?:i|we|they|my boys|my brother) (?:know|knows|found out|found) where {YOU} (?:live|"
        r"sleep|work|go to school|study|park|hang out)|(?:i|we|they) know (?:your|ur) (?:address|"
        r"home|house)|{YOU} (?:wont|will not|wont even|will never) see (?:it|me|us|what) coming|"
        r"(?:this is|consider this) (?:your )?(?:last|final|only) warning|{YOU} (?:better|had "
        r"better|should) (?:watch out|be scared|be afraid|run|hide|lock your doors)|"
        r"(?:better|should) lock {YOUR} doors?|i know (?:what|which) school {YOU} go to|"
        r"(?:keep talking|say that again|try me|do that again|one more word|say one more word) "
        r"(?:and )?(?:see what happens|youll see|watch what happens|youre dead|ur dead)|"
        r"see what happens to {YOU}|get whats coming(?: to {YOU})?|"
        r"(?:ill|i will|im gonna|we will|were gonna|well) (?:pay {YOU} a visit|show up at "
        r"{YOUR} (?:house|place|school|work|door|home))",
    ),
    rule(
        "en.threat.find_you",
        "threat",
        r"(?:ill|i will|im gonna|we will|were gonna|im going to|ima|imma|they will|theyll|well|"
        r"we ll|im gonna|gonna) (?:come |go )?(?:find|get|catch|hunt|track) {YOU}(?: down)?(?= \.|$"
        r"| after|"
        r" outside| when| alone|"
        r" one day| and| eventually| wherever| soon| tonight| where| no matter)|(?:im|i am|we "
        r"are|were|theyre|they are) (?:coming|comin) (?:for|after) {YOU}|(?:waiting|wait) (?:for|4)"
        r" "
        r"{YOU} (?:after (?:school|skool|skol|class|work)|outside)|(?:{WILL}) (?:break|snap|smash|"
        r"crush) (?:every|all the|all of the) (?:bones?|bone) in {YOUR} body|(?:waiting|wait|be "
        r"waiting) (?:for {YOU} )?(?:after school|outside your|after class|after work|at your)",
    ),
    rule(
        "en.threat.make_you_pay",
        "threat",
        r"(?:i|ill|we|well|they|im gonna|i will|im going to|were gonna) (?:will )?(?:make|gonna "
        r"make) {YOU} (?:pay|suffer|regret|bleed|disappear|scream|cry|beg)|{YOU}(?:ll| will| are"
        r" going to|re going to|re gonna| gonna) (?:pay|regret|be sorry|suffer)(?: for (?:this|"
        r"that|it|what))?(?! me| back| the| a | attention)",
    ),
    rule(
        "en.threat.hope_harm",
        "threat",
        r"(?:hope|hoping|wish) {YOU} (?:get|gets|getting) (?:hit|run over|raped|stabbed|shot|cancer"
        r"|beaten|hurt|killed|jumped|murdered)|someone (?:should|needs to|ought to|is gonna|will)"
        r" (?:kill|shoot|stab|hurt|beat up|beat|end|rape) {YOU}|"
        r"(?:make sure|ensure) {YOU} (?:never|wont|dont|cant|will never) (?:show|set foot|step|"
        r"speak|breathe|walk|see|talk|wake up|"
        r"come back|leave|sleep)|(?:{YOU_ARE}|{YOU}(?:ll| will)) (?:gonna |going to )?get (?:hurt|"
        r"killed|stabbed|shot|beaten|jumped|smacked|wrecked|your ass kicked)|(?:{WILL}) "
        r"(?:fucking )?(?:fuck|beat|mess|f|smash|tear|rough|shoot|light|cut|bust) {YOU} up|"
        r"(?:next time|when|once|wait till|wait until) (?:i|we) (?:see|catch|find|get) {YOU}(?: "
        r"again| alone| outside)?(?: [.,])? (?:{YOU_ARE}|ill|im gonna|youll|ur|were gonna|well)|"
        r"(?:{WILL}) (?:come|go|drive|show up|turn up) (?:to|round|at|by) {YOUR} (?:house|place|"
        r"home|school|work|door)(?= \.|$| and (?:{HARM}|find|get|show|teach|make))|{YOU}(?:ll| will"
        r"|re gonna| are gonna|re going to| are going to|r gonna) (?:gonna )?wish {YOU} (?:were|was"
        r"|"
        r"had) never (?:been )?born|(?:{WILL}) (?:make {YOUR} life (?:a )?(?:living )?hell|ruin "
        r"{YOUR} life)|(?:bullet|knife|blade) (?:in|"
        r"through|into) {YOUR} (?:head|skull|chest|face|back|throat)|(?:{WILL}) "
        r"(?:put|send) {YOU} (?:in|to|into) (?:the |a )?(?:hospital|grave|ground|morgue|coma)|"
        r"(?:burn|torch|set fire to) {YOUR} (?:house|car|place|home)",
    ),
    rule(
        # a beating filmed to shame: no game or laugh makes this a joke
        "en.threat.film_it",
        "threat",
        r"(?:{BEAT_OUT_OF}|(?:{WILL}) (?:jump|batter|beat up|deck|smash|slap|punch|hit|leather))"
        r" {YOU} (?:[a-z]+ ){0,6}?(?:and|then|an) (?:film|record|video|post|upload) it",
        firm=True,
    ),
    rule(
        "en.threat.beat_out_of_you",
        "threat",
        r"{BEAT_OUT_OF} {YOU}",
        soft=True,
    ),
    rule(
        "en.threat.consequences",
        "threat",
        r"(?:after|when|once) (?:im|i am|were|we are) (?:done|finished|through) with {YOU}|"
        r"(?:wait till|wait until|when|once|if) (?:i|we) (?:get|lay) (?:my|our) hands on {YOU}|"
        r"{YOU}(?:ll| will|re gonna| are gonna|re going to| are going to) (?:end up|wind up|be) "
        r"(?:in (?:a|the) (?:ditch|hospital|grave|morgue|body bag|river|wheelchair)|six feet "
        r"under)|{YOU_ARE} not safe (?:anywhere|here|at home|at school|tonight|from me|from us)|"
        r"(?:hope|wish) (?:someone|somebody|they|he|she|a car|a truck|a bus) (?:(?:{HARM})(?:s|es"
        r")?|runs? over|hits?) {YOU}|know where {YOUR} (?:kids|children|family|mom|mum|sister|"
        r"brother|parents|son|daughter|wife|husband) (?:live|lives|go|goes|sleep|sleeps|work|"
        r"works|is|are)|(?:{WILL}) (?:knock|kick|punch|smash|bash|beat|rip|cave) {YOUR} (?:teeth|"
        r"head|face|lights|brains|skull) (?:out|in|off)|(?:{WILL}) (?:pull up|roll up|come round|"
        r"come over|turn up) (?:to|at|on) {YOUR} (?:house|place|school|work|crib|door|street)(?= "
        r"\.|$| and| tonight| rn)",
    ),
    rule(
        "en.threat.beat_your_ass",
        "threat",
        r"(?:{WILL}) (?:(?:{HARM})|kick|whoop|whup|tan) {YOUR} (?:ass|arse|butt)",
        soft=True,
    ),
    rule(
        "en.self_harm.more",
        "self_harm_taunt",
        r"(?:just|go|pls|please|should|gonna|could) of {YOURSELF}|(?:doing|do) (?:us|everyone|"
        r"everybody|the world)(?: all)? a favou?r (?:if|by|when) (?:{YOU} )?(?:died|dying|kiling|"
        r"disappear|disappeared|jumped|jumping|ended it)|(?:nobody|no one|noone) (?:would|will|is "
        r"going to|is gonna) (?:come|go|show up|turn up|cry) (?:to|at) {YOUR} funeral|{YOUR} "
        r"(?:family|parents|friends|mom|mum|dad|kids) (?:would be|d be|will be) (?:so much )?"
        r"(?:better off|happier) (?:without {YOU}|if {YOU} (?:died|were dead|were gone|killed "
        r"{YOURSELF}))",
    ),
    rule(
        "en.threat.find_out_where",
        "threat",
        r"(?:{WILL}) (?:find out|figure out|track down|look up) where {YOU} (?:live|sleep|work|"
        r"go to school|study|hang out)",
    ),
    rule(
        # "keep leaking it and see if you still have a face"; "you're not safe, not even online"
        "en.threat.see_if",
        "threat",
        r"see if (?:{YOU}) (?:still )?(?:have|got|has) (?:a face|teeth|any teeth|legs|knees|"
        r"fingers|hands|a nose|a car|a house|a job|a phone)|(?:{YOU_ARE}) not safe(?: (?:anywhere|"
        r"here|online|at school|at home|at work|either|out there|on the way home|even online))?"
        r"(?= \.|$| ,)",
        soft=True,
    ),
    rule(
        "en.threat.throw_you",
        "threat",
        r"(?:{WILL}) (?:throw|chuck|toss|push|kick|lob) {YOU} (?:{THROWN_TO})",
        soft=True,
    ),
    rule(
        # "that boat of yours would sink awful easy": harm to what is theirs, as a warning
        "en.threat.would_go_easy",
        "threat",
        r"(?:{YOUR} (?:[a-z]+ ){1,3}?|of (?:yours|urs) )(?:would|could|might|will|can) "
        r"(?:sink|burn|burn down|go up|catch fire|get smashed|get torched|get keyed|go missing|"
        r"disappear|break) (?:(?:awful|awfully|real|really|very|pretty|quite|so|dead) )?"
        r"(?:easy|easily)",
        soft=True,
    ),
    rule(
        # "I'll get my brother to batter you": harm sent through someone else (not "sort you
        # out" or "see to you": a mechanic or a shopkeeper's son helps)
        "en.threat.proxy",
        "threat",
        r"(?:{WILL}|i shall) (?:have|get|send|set) (?:my|our|me) (?:[a-z]+ ){0,2}?(?:brothers?|"
        r"cousins?|boys|lads|mates|dad|da|uncles?|grandsons?|sons?|boyfriend|bf|husband|mandem|"
        r"crew|gang|bredren) (?:to |on |round to )?(?:deal with|batter|beat up|beat|smash|jump|"
        r"deck|kill|stab|hurt|knock out|rough up|do over) {YOU}"
        r"(?! out with| a | an | with | some)",
        soft=True,
        firm=True,
    ),
    rule(
        # "I'll feed you to the crocs, no one would ever find the body"
        "en.threat.feed_you_to",
        "threat",
        r"(?:{WILL}) feed {YOU} to (?:the |my |some )?(?:crocs|crocodiles|sharks|fish|dogs|pigs|"
        r"gators|alligators|wolves|lions|hogs)|(?:no one|nobody|noone|no1|they|the police|the "
        r"cops) (?:would|will|d|wont|would not|wouldnt|will not|could|couldnt) (?:ever )?find "
        r"(?:the|your|ur) (?:body|bodies|remains)",
        soft=True,
    ),
    rule(
        # "I'll put ye in the Shannon"; "I'm putting you through the drum head first"
        "en.threat.put_you_in",
        "threat",
        r"(?:{WILL}) (?:put|throw|chuck|dump|drop) {YOU} in(?:to)? the (?:river|canal|sea|harbour|"
        r"loch|lake|quarry|shannon|thames|clyde|liffey|mersey|tyne|lagoon|swamp|bog|reservoir)|"
        r"(?:{WILL}|im|were|i am|we are) (?:putting|put|throw|throwing|chuck|chucking|shove|"
        r"shoving|launch|launching|send|sending|smash|smashing|kick|kicking) {YOU} (?:right )?"
        r"through (?:the|a|that|ur|your|this|my) (?:[a-z]+ )?(?:wall|window|table|door|floor|"
        r"ceiling|fence|glass|windscreen|windshield|drum|drum head|roof|hedge|floorboards|bar|"
        r"counter)",
        soft=True,
    ),
    rule(
        # "noticed you walk home alone past the chapel. bad idea"
        "en.threat.alone_bad_idea",
        "threat",
        r"(?:noticed|notice|seen|saw|see|know|watched|watching) (?:that )?{YOU} (?:walk|walks|"
        r"walking|go|goes|going|cycle|cycling|jog|jogging|run|running|drive|driving|get|getting) "
        r"(?:home )?(?:alone|on (?:your|ur) own|by {YOURSELF})(?: [^ ]+){0,8}? (?:bad idea|be a "
        r"shame|would be a shame|anything could happen|anything can happen|never know who)",
        soft=True,
        firm=True,
    ),
    rule(
        # "in person I'd have flattened you already"; "I'll leave you at the bottom of the reef";
        # "dead man walking"; "that's not a threat, it's a promise"
        "en.threat.would_have",
        "threat",
        r"(?:id|i would|i d|wed|we would) have (?:flattened|decked|battered|floored|smashed|"
        r"knocked out|punched|strangled|throttled|leathered|glassed) {YOU}|(?:{WILL}) (?:leave|"
        r"dump|drag|pull|drown) {YOU} (?:at the bottom of|off the (?:boat|pier|roof|bridge)|"
        r"out of the (?:boat|car|window)|by {YOUR} hair|by the hair)|(?:{YOU_ARE} )?(?:a )?dead "
        r"man walking|(?:(?:thats|that is|its|it is) )?not a threat(?: ,)? (?:its|it is|thats) a "
        r"promise",
        soft=True,
    ),
    rule(
        # "ah'll wrap a 7 iron roond yer heid"; "ye'll be getting a hurl in the back of the
        # knees"; "throwing ur pc out the window. with u still holding the mouse"
        "en.threat.weapon_round_head",
        "threat",
        r"(?:{WILL}|ah|ahll|ah ll) (?:wrap|bend|break|smash) (?:a|this|the|my|that) "
        r"(?:[a-z0-9]+ )?(?:iron|club|bat|hurl|hurley|stick|chair|pan|bottle|pipe|shovel|spade|"
        r"putter|hammer|crowbar|wrench|spanner) (?:round|around|roond|roon|over|across) "
        r"(?:{YOUR}|yer) (?:head|heid|skull|face|coupon|neck)|"
        r"(?:{YOU}ll|{YOU} will) (?:be )?(?:getting|get) (?:a|the) (?:hurl|hurley|"
        r"bat|brick|bottle|pipe|crowbar|hammer|stick) (?:in|on|round|across|to) (?:the|{YOUR}|yer) "
        r"(?:back of the )?(?:knees?|head|heid|face|teeth|jaw|skull|kneecaps?|legs?)|"
        r"(?:throw|throwing|chuck|chucking|lob|lobbing|launch|launching|push|pushing|drive|driving)"
        r" (?:{YOUR}|yer|the|that) [a-z]+ (?:{THROWN_TO})(?: \.)? with {YOU} "
        r"(?:still )?(?:in it|on it|holding|attached|inside|sat in it|strapped)",
        soft=True,
        firm=True,
    ),
)
