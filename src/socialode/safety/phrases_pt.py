"""Portuguese (Portugal) phrase lists and rules (see :mod:`socialode.safety.rules`).

Patterns see normalised words: no accents ("és" is "es", "ninguém" is "ninguem"), hyphens
split ("vai-te" is "vai te", "chamam-me" is "chamam me"). Words friends call each other
("parvo", "tonto", "burro") are in ``LEVE`` and their rules are soft, like English ``MILD``.
"""

from __future__ import annotations

from socialode.safety.rules import Rule, rule

MACROS: dict[str, str] = {
    "ES": r"tu es|es|voce e|vc e|vc eh|tu e|tu es mesmo|es mesmo|sois|voces sao",
    "INTENS": (
        r"mesmo|tao|mas e|um|uma|muito|muita|grande|grandessissimo|grandessissima|ca|bue|bem|"
        r"granda|completo|completa|a maior|o maior|tipo|so|mesmo muito|cada vez mais|uns|umas|"
        r"o|a|pior|nada mais que|nada mais do que|autentico|autentica|verdadeiro|verdadeira"
    ),
    "INSULTO": (
        r"idiota|zero|estupid[oa]s?|otari[oa]s?|anormal|anormais|atrasad[oa]s?(?: mental)?|imbecil|"
        r"inutil|inuteis|falhad[oa]s?|nojent[oa]s?|fei[oa]s?|gord[oa]s?|porc[oa]s?|palhac[oa]s?|"
        r"merdas|um merda|uma merda|cabrao|cabra|puta|vaca|badalhoc[oa]|lixo|ridicul[oa]s?|"
        r"patetic[oa]s?|cretin[oa]s?|mong[oa]|mongoloide|retardad[oa]|lerd[oa]|escumalha|"
        r"aberracao|desgraca|vergonha|nulidade|zero a esquerda|baleia|bandalho|panasca|"
        r"paneleiro|fufa|chulo|filh[oa] da puta|fdp|pedaco de merda|monte de merda|cara de cu|"
        r"nojo|porcaria|doente mental|psicopata|verme|rato|cobra|parasita|aborto|bosta|"
        r"desperdicio de espaco|fracassad[oa]|coitad[oa]|inutil de merda|vadia|galdeira|"
        r"pega|labrego|labrega|bimbo|bimba|saloi[oa]|azeiteir[oa]|chunga|traste|energumeno|"
        r"asqueros[oa]|repugnante|nojenta|horrivel|mentiros[oa]"
    ),
    "LEVE": r"besta|parv[oa]s?|tont[oa]s?|toto|nab[oa]s?|burr[oa]s?|pateta|tol[oa]|chat[oa]|totinho"
    "",
    "TE": r"te|vos",
    "MAGOAR": (
        r"matar|bater|partir|espancar|esfaquear|dar um tiro|dar uns tiros|dar uma tareia|"
        r"dar porrada|dar uma coca|dar cabo|foder|rebentar|arrebentar|desfazer|furar|"
        r"queimar|enterrar|estrangular|magoar|acabar contigo|partir a cara|partir os dentes|"
        r"partir as pernas|encher de porrada|fazer a folha|limpar o sebo"
    ),
    "RUA": (
        r"rua|r|avenida|av|avda|travessa|tv|largo|praca|praceta|estrada|alameda|calcada|beco|"
        r"bairro|urbanizacao|lote|bloco|andar|porta|n|no|numero|apartamento|esq|dto"
    ),
    "DELA": r"dela|dele|deles|delas|do [a-z]+|da [a-z]+|desta|deste|daquela|daquele",
    "CTA": (
        r"(?:vao|vamos|va|bora|toca a|liguem|mandem|aparecam|facam|digam|podem|ide|passem) "
        r"(?:[^ ]+ ){0,3}?(?:la|lhe|lhes|dizer|fazer|visita|mensagens?|ligar|esperar|espera|"
        r"mostrar|chatear|encher|buscar|apanhar|partir)|liguem lhe|mandem lhe|"
        r"(?:toda a gente|todos|malta) (?:\w+ )?(?:la|lhe|a|para)|ja sabem o que fazer|"
        r"espalhem|partilhem|liguem(?: todos)?(?= \.|$| ,| ja| todos)|mandem (?:mensagens|sms)|"
        r"spamem"
    ),
}

RULES: tuple[Rule, ...] = (
    # incitamento a autolesao
    rule(
        "pt.self_harm.mata_te",
        "self_harm_taunt",
        r"(?:vai|vai la|vai mas e|vai e|porque e que nao|porque nao|devias|podias) (?:te )?"
        r"(?:matar|enforcar|atirar)(?: te)?|mata te(?! a rir| a trabalhar| a estudar)|"
        r"(?:porque e que nao|porque nao|vai|ve se) te (?:matas|enforcas|atiras|vais matar)|"
        r"enforca te|atira te (?:de|da|duma|de uma|pela|para debaixo) (?:\w+ )?(?:ponte|janela|"
        r"predio|prédio|varanda|comboio|carro|penhasco)|corta (?:os )?(?:te )?(?:os )?pulsos|"
        r"bebe (?:lixivia|veneno)|toma (?:veneno|comprimidos)",
    ),
    rule(
        "pt.self_harm.morre",
        "self_harm_taunt",
        r"(?:vai|vai la|vai mas e|vai e|vai mas e mas e|ve se|porque nao) morrer(?! de (?:rir|"
        r"fome|calor|frio|sono|tedio|vergonha))(?: longe| sozinh[oa]| de vez| \.|$| seu| sua| pa"
        r"| ja| num| numa)|morre(?: de vez| seu| sua| pa| longe| ja| \.|$)(?! de)|espero que "
        r"(?:morras|te mates|desaparecas|nunca acordes)|devias (?:era |mas e |e )?(?:morrer|"
        r"estar mort[oa]|desaparecer|nao existir|nunca ter nascido)|nao mereces (?:viver|existir"
        r"|estar viv[oa])|faz (?:nos |me )?(?:um favor a todos|a todos um favor|um favor ao mundo|u"
        r"m favor) e (?:morre|"
        r"desaparece|mata te|some|vai te)",
    ),
    rule(
        "pt.self_harm.ninguem_sentia_falta",
        "self_harm_taunt",
        r"ninguem (?:ia|iria|vai|vais|sentiria|sentia|sente|havia de|ira)(?: sequer)? (?:sentir )?"
        r"(?:a )?(?:tua falta|falta de ti|chorar por ti|chorar (?:se|quando) (?:morresses|te "
        r"matasses|desaparecesses)|notar se (?:morresses|desaparecesses|te matasses))|o mundo "
        r"(?:ficava|ficaria|era|seria|estaria|fica) (?:muito )?melhor sem ti|(?:toda a gente|todos"
        r"|a tua familia) (?:ficava|ficaria|estaria|ficavam|ficariam) melhor (?:sem ti|se "
        r"(?:morresses|desaparecesses))|(?:era|seria|ficava|ficavamos|ficavam|estavamos) (?:tudo "
        r"|todos )?(?:melhor|mais feliz|mais felizes|melhores) (?:se|quando) (?:tu )?(?:morresses|"
        r"desaparecesses|te matasses|nao existisses|nunca tivesses nascido)",
    ),
    # ameacas
    rule(
        "pt.threat.vou_te",
        "threat",
        r"(?:ainda|eu|ja|juro que|um dia) te (?:vou|vamos) (?:{MAGOAR})|"
        r"(?:vou|vamos|eu vou|ainda|ainda vou|juro que|juro que vou|um dia|ja) (?:{TE}) "
        r"(?:{MAGOAR})|(?:vou|vamos|eu vou|ainda vou) (?:{MAGOAR}) (?:te|vos)|(?:vou|vamos) "
        r"dar cabo de (?:ti|voces)|ainda te (?:apanho|mato|parto|fodo|pego)|(?:vou|vamos) (?:te "
        r")?partir (?:te )?(?:a cara|os dentes|as pernas|todo|toda)|(?:eu|ainda|juro que|que eu|ja)"
        r" "
        r"(?:te (?:mato|parto|espanco|fodo|desfaco|rebento|apanho)|(?:mato|parto|espanco|fodo|"
        r"desfaco|rebento) te)|(?:vou|vamos|eu vou) (?:te encontrar|encontrar te)",
        soft=True,
    ),
    rule(
        "pt.threat.parto_te",
        "threat",
        r"(?<!nao )(?:parto|mato|fodo|rebento|espanco|esfaqueio|furo|queimo|desfaco|arrebento|"
        r"estrangulo|enterro|apanho) te(?! a rir| de rir| com (?:beijos|cocegas|abracos))|"
        r"(?:vou|vamos|ainda) te dar (?:uma? |um grande |uma grande )?(?:tareia|porrada|enxerto|"
        r"murro|estalo|chapada|surra|sova|coca|facada|tiro)|"
        r"(?:vou|vamos|ainda vou) (?:a|ate) tua casa|(?:vais|ainda vais) (?:sangrar|sofrer|"
        r"levar|apanhar|ficar sem dentes|acabar no hospital)(?= \.|$| ,| por| quando| se| ja)|"
        r"(?:vou|vamos) (?:fazer te|te fazer) (?:pagar|sofrer|sangrar|arrepender)|"
        r"(?:(?:sabemos|sei) onde|vamos a) (?:a tua|o teu) (?:familia|mae|pai|irma|irmao|casa)|"
        r"(?:sabemos|sei|eu sei) onde (?:e |fica )?(?:a tua|o teu) (?:escola|casa|trabalho|rua|"
        r"carro)|acabo contigo|(?:dou|damos) cabo de ti|o que e bom para a tosse|"
        r"(?:levas|vais levar|ainda levas|ainda vais levar) (?:com )?(?:uma? |uns |umas )?"
        r"(?:tareia|porrada|murro|murros|estalo|chapada|facada|tiro|coca|sova|enxerto|surra|"
        r"pontape|biqueirada|lambada)|(?:vou|vamos|estou|estamos|vou estar|vamos estar) (?:a )?"
        r"esperar (?:por ti|te) (?:a saida|la fora|depois das aulas|a porta|no parque|ao pe da "
        r"tua casa|a tua porta)|espero te (?:a saida|la fora|depois das aulas)|(?:a tua|o teu|os "
        r"teus|as tuas) (?:[a-z]+ )?(?:familia|mae|pai|irma|irmao|irmaos|filhos|casa|namorad[oa])"
        r" (?:que se cuide|que tenha cuidado|vai pagar|vai sofrer|que se prepare)|"
        r"(?:atiro te|atiro vos|te atiro|te jogo|jogo te|empurro te|te empurro|deito te) "
        r"(?:(?:daqui|do barco) )?(?:borda fora|ao mar|ao rio|da ponte|pela janela|do barco|da "
        r"falesia|do penhasco|escada abaixo|das escadas|do cais)",
        soft=True,
    ),
    rule(
        "pt.threat.estas_morto",
        "threat",
        r"(?:estas|tas|tu estas|es um homem|es uma mulher|vais estar) mort[oa](?! de| por| com)|"
        r"(?:sei|sabemos|eu sei|nos sabemos|ja sei|ja sabemos) onde (?:moras|vives|trabalhas|"
        r"estudas|andas)|(?:sei|sabemos|eu sei|a gente sabe|ja sei|ja sabemos) onde (?:voce|vc|"
        r"tu|ce) (?:mora|vive|trabalha|estuda|dorme)|(?:vou|vamos|eu vou) dar (?:te|vos) "
        r"(?:uma? )?(?:tareia|coca|porrada|"
        r"tiro|facada|murro|estalo|chapada|surra|sova|enxerto)|(?:sabemos|sei|eu sei) (?:a tua "
        r"morada|onde e a tua casa)|vais (?:pagar|pagar caro|te arrepender|arrepender te|ver o "
        r"que te acontece|levar)(?: por isto| por isso| caro| porrada| um tiro| nas trombas| na"
        r" cara)?(?! a | o |ao |os |as |pela |pelo )|arrependes te|(?:tem|tens|toma) cuidado "
        r"(?:com as costas|quando sais|quando saires|a noite|com o que dizes)|(?:levas|vais "
        r"levar) (?:um tiro|uma facada|porrada|na cara|nas trombas|um enxerto)|espera(?: me)? "
        r"(?:la fora|a saida|depois das aulas|a porta da escola)|espero que (?:te atropelem|sejas"
        r" atropelad[oa]|apanhes cancro|te violem|te espanquem)",
    ),
    rule(
        "pt.threat.estas_feito",
        "threat",
        r"(?:quando|se|assim que) te (?:apanhar|apanho|vir|encontrar|encontro)(?: ,)? (?:estas|"
        r"tas|ficas) (?:feito|feita|tramad[oa]|lixad[oa]|mort[oa]|fodid[oa])|(?:estas|tas) "
        r"(?:feito|feita|fodido|fodida|tramado|tramada|lixado|lixada)(?= \.|$| comigo| quando"
        r"| ,)|(?:eu )?te pego (?:na saida|la fora|depois da aula|depois do treino|no portao|na"
        r" rua|no estacionamento)",
    ),
    rule(
        # "tu vai apanhar, tô avisando": Brazilian "you'll get beaten"
        "pt.threat.voce_vai_apanhar",
        "threat",
        r"(?:tu|voce|vc|ce) (?:vai|ainda vai) (?:apanhar|sangrar|levar porrada|levar uma surra|"
        r"levar um tiro|levar uma facada)(?= \.|$| ,| por| quando| se| ja| de mim| na saida)"
        r"(?!(?: [^ ]+){0,5}? \d+ (?:a|x) \d+)",  # a game's score: "tu vai apanhar... de 7 a 0"
        soft=True,
        firm=True,
    ),
    rule(
        # "não é ameaça, é promessa"
        "pt.threat.promessa",
        "threat",
        r"nao e (?:uma )?ameaca(?: ,)? e (?:uma )?promessa",
        soft=True,
    ),
    rule(
        # "levas com a prancha nos cornos": European, something struck on the head or face
        "pt.threat.levas_com",
        "threat",
        r"(?:levas|vais levar|ainda levas|vai levar|tu vai levar) (?:com )?(?:a|o|um|uma|esta|"
        r"este|essa|esse) (?:prancha|cadeira|garrafa|pau|taco|tijolo|pedra|remo|mesa|frigideira|"
        r"vassoura|martelo|barra|tabua|moca|bengala|chave|panela|enxada|pa) (?:nos cornos|na cara|"
        r"nos dentes|na cabeca|na tromba|no focinho|na fuca|no meio dos olhos)",
        soft=True,
        firm=True,
    ),
    rule(
        # "que eu quebro tua cara": Brazilian, the face or teeth broken
        "pt.threat.quebro_a_cara",
        "threat",
        r"(?:eu|que eu|vou|vamos|a gente vai|ainda|te) (?:quebro|quebrar|arrebento|arrebentar|"
        r"racho|rachar|estouro|estourar|amasso|amassar|parto|partir|soco|socar) (?:a |essa )?"
        r"(?:tua|sua) (?:cara|fuca|boca|dentes|nariz|pernas)",
        soft=True,
    ),
    # exposicao de dados pessoais
    rule(
        "pt.doxxing.morada",
        "doxxing",
        r"(?:a )?(?:morada|endereco|localizacao) (?:{DELA}) (?:e|fica|\.|=|:)? ?(?:[^ ]+ )"
        r"{0,3}?(?:\d+|(?:rua|avenida|av|travessa|largo|praca|estrada)(?= ))|(?:aqui esta|ai vai|"
        r"descobri|encontrei|tenho|publico|partilho) (?:a )?(?:morada|endereco|numero|telemovel|"
        r"escola|localizacao) (?:{DELA})",
    ),
    rule(
        "pt.doxxing.mora_na",
        "doxxing",
        r"(?:ela|ele|eles|elas|o [a-z]+|a [a-z]+|esta [a-z]+|este [a-z]+|essa [a-z]+|esse [a-z]+)"
        r" (?:mora|vive|moram|vivem|esta a morar) (?:na|no|em|num|numa|ao pe da) (?:[^ ]+ )"
        r"{0,4}?(?:\d+|(?:rua|avenida|av|travessa|largo|praca|estrada|lote|bloco)(?= ))",
    ),
    rule(
        "pt.doxxing.numero",
        "doxxing",
        r"(?:o )?(?:numero|telemovel|telefone|whatsapp|contacto|tlm|zap|zapzap|wpp|whats|"
        r"celular|cel) (?:dela|dele|deles|delas|"
        r"desta|deste|(?:{DELA})(?=.{0,200}?(?:{CTA}))) (?:(?:novo|pessoal|privado) )?(?:e |\. "
        r"|: |= )?"
        r"(?:[^ ]+ ){0,2}?\+?\d{2,4}(?: ?\d{2,4}){2,4}|(?:liguem|mandem mensagem|mandem sms|"
        r"mandem mensagens|spamem|liga lhe|liguem lhe) (?:lhe |lhes |para ela |para ele )?"
        r"(?:para o |para |pro )?"
        r"\+?\d{2,4}(?: ?\d{2,4}){2,4}",
    ),
    rule(
        "pt.doxxing.exposto_com_apelo",
        "doxxing",
        r"(?:morada|mora|vive|trabalha|estuda|anda na escola|anda no|numero|telemovel|escola "
        r"(?:dela|dele)|\d{3} ?\d{3} ?\d{3}|(?:rua|avenida|travessa|largo) (?:[^ ]+ ){0,4}?\d+)"
        r" .{0,200}?(?:{CTA})",
    ),
    # exclusao
    rule(
        "pt.exclusion.ninguem_te_quer",
        "exclusion",
        r"ninguem (?:aqui |mesmo |sequer |ca )*(?:(?:te|vos) (?:quer|queria|suporta|aguenta|"
        r"convidou|chamou|pediu para vires)(?! dizer| ver triste| mal| fazer)|gosta de (?:ti|"
        r"voces))|(?:nao|ninguem) (?:te|vos) (?:queremos|quer|queremos ca|queremos "
        r"aqui|quero) (?:aqui|ca|no grupo|connosco|perto|mais)",
    ),
    rule(
        "pt.exclusion.nao_es_bem_vindo",
        "exclusion",
        r"(?:(?:tu|voce|vc|ce) (?:nao|n) (?:ta|esta|e|foi|vai ser) (?:convidad[oa]|bem vind[oa]|"
        r"incluid[oa]))(?! (?:ainda|por engano))|"
        r"(?:nao|tu nao) (?:es|estas|foste|sao|eras) (?:bem vind[oa]s?|convidad[oa]s?|um de nos"
        r"|uma de nos|do grupo|dos nossos|das nossas|desejad[oa])|(?:nao|tu nao) pertences "
        r"(?:aqui|ao grupo|a este grupo)|(?<!me )(?<!nao )(?:sai|sai ja|sai mas e|vai te embora) "
        r"(?:(?:do|deste|desta|da|da nossa|dos) (?:grupo|conversa|turma|equipa|mesa|vida|chat|"
        r"servidor)|daqui(?: para fora)?)(?= \.|$| ,| ja| agora| ninguem| e nao| seu| sua| pa|"
        r" de vez| e desaparece)|"
        r"(?:fizemos|criamos|temos) (?:um |outro )?(?:grupo|chat) sem ti|nao te sentes (?:a "
        r"nossa|na nossa|connosco)|(?:fica|mantem te) longe de nos|ninguem te convidou|"
        r"(?:vamos|bora) (?:todos |todas |la )?(?:ignorar|ignora|excluir|exclui|bloquear|bloquea|"
        r"expulsar|expulsa|tirar|tira) (?:la|lo|las|los|te|vos)|(?:expulsamos|tiramos|removemos|"
        r"bloqueamos|excluimos) te|nao (?:te )?(?:convidamos|chamamos) (?:porque|de proposito)|"
        r"ninguem (?:te )?quer (?:ca|aqui|contigo)",
    ),
    # assedio
    # insultos contra quem a pessoa é: nenhum riso os desculpa (firm; ver phrases_en_slurs)
    rule(
        "pt.harassment.slur",
        "harassment",
        r"(?:(?:seu|sua|teu|tua|(?:{ES})(?: um| uma)?) )?(?:paneleiros?|boiolas?|baitolas?|"
        r"travecos?)|(?<!da )(?<!a )(?<!tia )(?<!dona )mariquinhas|"
        r"(?:seu|sua|teu|tua|esse|essa|aquele|aquela|"
        r"(?:{ES})(?: um| uma)?|grande|granda) (?:viados?|veados?|sapatao|sapatoes|sapatonas?|"
        r"maricas|bichonas?)|(?:seu|sua|teu|(?:{ES})(?: um| uma)?) bichas?|"
        # "macaco" dito a uma pessoa (o macaco do carro e o do zoo não: "esse macaco é fofo")
        r"(?:seu|sua) (?:macacos?|macacas?)|(?:macacos?|macacas?) (?:de merda|imundos?|imundas?|"
        r"nojentos?|nojentas?|sujos?|sujas?)|(?:volta|volte|voltem) (?:pra|para a) (?:jaula|selva)",
        firm=True,
    ),
    rule(
        "pt.harassment.es_insulto",
        "harassment",
        r"(?<!nao )(?<!nunca )(?<!nem )(?:{ES}) (?:(?:{INTENS}) )*(?:{INSULTO})|"
        r"(?<!nao )(?<!nunca )(?:{ES}) (?:(?:{INTENS}) )*(?:{LEVE}) "
        r"(?:e )?(?:{INSULTO})",
    ),
    rule(
        "pt.harassment.sozinho",
        "harassment",
        r"^(?:(?:seu|sua|grande|granda|oh|que) )?(?:idiota|estupid[oa]|otari[oa]|anormal|"
        r"atrasad[oa]|imbecil|inutil|falhad[oa]|nojent[oa]|cretin[oa]|mong[oa]|retardad[oa]|"
        r"lerd[oa]|palhac[oa]|cabrao|puta|vaca|badalhoc[oa]|fdp|parasita|verme|fracassad[oa])"
        r"(?: \.)?$",
    ),
    rule(
        "pt.harassment.es_leve",
        "harassment",
        r"(?<!nao )(?<!nunca )(?<!nem )(?:{ES}) (?:(?:{INTENS}) )*(?:{LEVE})",
        soft=True,
    ),
    rule(
        "pt.harassment.seu",
        "harassment",
        r"(?:seu|sua|seus|suas|oh|o seu|o sua|grande|granda|meu|minha|ca|tu) (?:(?:{INTENS}) )*"
        r"(?:{INSULTO})(?! de (?:golo|jogo|concerto|dia|festa))|(?:cala|calem|cala mas e) "
        r"(?:te|a boca|a matraca|essa boca)(?: [.,])? (?:(?:{INTENS}) )*(?:{INSULTO})",
    ),
    rule(
        "pt.harassment.seu_leve",
        "harassment",
        r"(?:seu|sua|seus|suas|oh) (?:(?:{INTENS}) )*(?:{LEVE})",
        soft=True,
    ),
    rule(
        "pt.harassment.vai_te_foder",
        "harassment",
        r"vai (?:te )?foder|vai (?:pro|para o|po|pro raio que o) caralho|vai a merda|vai levar no"
        r" cu|fode te|foda se para ti|cala (?:te|a boca|a matraca)|odeio te|(?:que |tenho )?"
        r"nojo de ti",
        soft=True,
    ),
    rule(
        "pt.harassment.desprezo",
        "harassment",
        r"(?:toda a gente|todos|todo o mundo|a turma toda|a escola toda) (?:te odeia|te odeiam|"
        r"goza contigo|gozam contigo|se ri de ti|se riem de ti)|(?:metes|fazes|das) me nojo|"
        r"ninguem quer (?:saber )?(?:de ti|do que (?:tu )?(?:pensas|dizes|achas))|nunca vais "
        r"ser (?:ninguem|nada|amad[oa]|feliz)|nao vales nada|(?:a tua|tua) (?:cara|tromba|fronha"
        r"|voz|existencia) (?:e )?(?:(?:{INTENS}) )*(?:{INSULTO}|de (?:{INSULTO}))|"
        r"que (?:gord[oa]|fei[oa]|nojent[oa]|estupid[oa]|burr[oa]|porc[oa]|idiota|otari[oa]|"
        r"badalhoc[oa]) (?:{INSULTO}|{LEVE})|tens (?:uma )?"
        r"(?:cara|tromba|focinho) de (?:{INSULTO}|{LEVE}|cu)|ninguem (?:nunca )?(?:te )?vai "
        r"(?:amar|querer namorar)|(?:ninguem|nenhum rapaz|nenhuma rapariga) (?:te |contigo )?"
        r"(?:vai |ia |ira )?(?:querer|gostar) (?:de ti|namorar contigo)",
    ),
)

DISCLOSURES: tuple[Rule, ...] = (
    rule(
        "pt.disclosure.fizeram_me",
        "disclosure",
        r"(?:gozou|gozaram|gozam|goza|riu se|riram se|bateu|bateram|ameacou|ameacaram|insultou|"
        r"insultaram|humilhou|humilharam|empurrou|empurraram|excluiu|excluiram|perseguiu|"
        r"perseguiram|chamou|chamaram|disse|disseram) (?:me|comigo|de mim)(?! (?:o|a) (?:link|"
        r"hora|morada|foto))|(?:pos|poe|puseram|postou|postaram|publicou|partilhou|espalhou|"
        r"divulgou|meteu|meteram) (?:a minha|o meu|as minhas|os meus) (?:morada|numero|foto|"
        r"fotos|endereco|dados|contacto|nome|telemovel)|"
        r"(?:recebi|recebo|tenho recebido|mandaram me|mandam me|recebo sempre) (?:[a-z]+ ){0,2}?"
        r"(?:mensagens|sms|comentarios|ameacas|dms)|(?:a dizer|dizem|disseram|diz) (?:me )?para "
        r"me (?:matar|ir embora|enforcar|atirar)|(?:e |eu |agora )?tenho (?:muito |tanto "
        r")?medo(?= \.|$| ,)|(?:ameacou|ameacaram|ameaca|ameacam|jurou|juraram) (?:que )?"
        r"(?:me )?(?:(?:ia|iam|vai|vao) )?(?:bater|matar|partir|espancar|magoar|apanhar|"
        r"esfaquear|expor|publicar|encontrar) (?:me|a minha|o meu|as minhas|os meus)|"
        r"(?:sabe|sabem|descobriu|descobriram) onde (?:eu )?(?:moro|vivo|"
        r"estudo|trabalho)|(?:fizeram|criaram) (?:um )?(?:grupo|chat) sem mim|nao fui convidad[oa]",
    ),
    rule(
        "pt.disclosure.gozam_comigo",
        "disclosure",
        r"(?:a )?espalhar (?:[a-z]+ )?(?:mentiras|boatos|rumores|fotos|coisas) (?:sobre|de) mim|"
        r"(?:estao|andam|esta|anda|estavam|andavam|continuam|comecaram|sempre|passam a vida) a "
        r"(?:gozar|rir se|rir|falar mal|bater|ameacar|perseguir|chatear|insultar|humilhar|"
        r"excluir|empurrar|seguir|mandar mensagens|fazer bullying) (?:comigo|de mim|me|em mim|a "
        r"mim)|(?:gozam|gozaram|riem se|riram se|falam mal|batem|bateram|ameacam|ameacaram|"
        r"ameaca|ameacou|chamam|chamaram|chama|chamou|empurraram|empurram|insultam|insultaram|"
        r"humilharam|humilham|perseguem|perseguiram|excluem|excluiram|postaram|publicaram|"
        r"ignoram|mandaram|mandam|disseram|dizem) (?:me|comigo|de mim)(?! (?:o|a) (?:link|"
        r"hora|morada|foto))",
    ),
    rule(
        "pt.disclosure.me_fazem",
        "disclosure",
        r"(?:dizem|disseram|diz|disse|andam a dizer|espalham|espalharam|acham) (?:a toda a gente "
        r")?que (?:eu )?(?:sou|era|estou|tenho|ninguem|nunca)|"
        r"(?:que|eles|elas|ele|ela|todos|alguem|toda a gente|os meus colegas|a turma) me "
        r"(?:chamam|chamaram|chama|chamou|ameacaram|ameacam|ameaca|ameacou|bateram|batem|bate|"
        r"mandaram|manda|mandam|gozam|perseguem|seguem|excluem|ignoram|odeiam|insultam|"
        r"empurram|humilham)|(?:disse|disseram|diz|dizem|ameacou|ameacaram|escreveu|escreveram"
        r"|mandou|mandaram) (?:me )?(?:que|para) (?:me|nos) (?:ia|iam|vai|vao|vinha|vinham|"
        r"devia|matasse|matar|ir) ?(?:\w+)?",
    ),
    rule(
        "pt.disclosure.estou_a_ser",
        "disclosure",
        r"(?:estou|tou|to|ando|fui|sou|tenho sido|estava|ando a ser|estou a ser) (?:a ser )?"
        r"(?:gozad[oa]|ameacad[oa]|perseguid[oa]|assediad[oa]|humilhad[oa]|excluid[oa]|"
        r"agredid[oa]|insultad[oa]|vitima de bullying|maltratad[oa]|post[oa] de parte|"
        r"chantagead[oa]|espancad[oa])|(?:sofro|sofri|estou a sofrer|ando a sofrer|fazem me|"
        r"fizeram me|faz me) (?:de )?(?:bullying|ciberbullying|cyberbullying)",
    ),
    rule(
        "pt.disclosure.sentimentos",
        "disclosure",
        r"ninguem (?:gosta de mim|me quer|quer saber de mim|fala comigo|se importa comigo)|"
        r"tenho medo (?:dele|dela|deles|delas|de ir|de sair|de voltar)|(?:publicaram|puseram|"
        r"partilharam|espalharam|divulgaram) (?:a minha|o meu|as minhas|os meus) (?:morada|"
        r"numero|foto|fotos|endereco|dados)|quero morrer|(?:quero|penso em|pensei em) "
        r"(?:me )?matar(?: me)?|nao aguento mais|sinto me (?:sozinh[oa]|inutil|um peso)",
    ),
)

# Cues so strong that the text is a joke between friends (see phrases_en_context.BANTER).
BANTER: tuple[str, ...] = (
    r"a?ha(?:ha)+h?|ahah|kk+|rs|(?:estou|tou|to) a brincar|e brincadeira|so a brincar|"
    r"adoro te|amo te|te amo|gosto muito de ti|parabens|beijinhos?|bjs|bjinhos|xoxo|"
    r"saudades|(?:meu|minha) (?:querid[oa]|amor|lind[oa])|sortud[oa]|lenda",
)

AFFECTION: tuple[str, ...] = (
    r"a?ha(?:ha)+h?|kk+|he(?:he)+|lol|a brincar|to a brincar|estou a brincar|tou a brincar|"
    r"e brincadeira|so a brincar",
    r"adoro te|adoro|gosto muito de ti|amo te|te amo|parabens|aproveita|aproveitem|saudades|"
    r"beijinhos?|beijos?|bjs|bjinhos|xoxo|fixe|brutal|espetaculo|lenda|sortud[oa]|ganhaste|"
    r"conseguiste|boa sorte|linda|lindo|querid[oa]|fofo|fofa|que inveja|a (?:jogar|cantar|"
    r"conduzir|desenhar|correr|nadar|dancar|cozinhar)",
)
MEDIA: tuple[str, ...] = (
    r"cancao|musica|letra|refrao|cantor|cantora|banda|album|fado|versos?|poema",
    r"filme|cena|personagem|serie|episodio|novela|citando|citacao|fala do filme|frase do "
    r"filme|meme",
)
LEADINS: tuple[str, ...] = (
    r"como diz (?:o|a) (?:cancao|musica|filme|fado|letra|poema|personagem)|como (?:canta|cantava"
    r"|dizia|diz) (?:o|a) [a-z]+|(?:ja )?dizia (?:o|a) (?:cancao|musica|filme|fado|poeta)",
)
