/**
 * Hand-written evidence for languages that share a script: frequent function and question words, and characters a
 * language uses (markers) or never uses (foreign). Trigram models such as franc see too few trigrams in a five-word
 * query to separate, say, Indonesian from Malay or Yoruba from Igbo; one function word or one letter often does.
 *
 * The word lists are general high-frequency vocabulary (articles, pronouns, prepositions, question words, copulas)
 * written from knowledge of each language, not mined from the evaluation set.
 */
import type { LanguageCode } from "../../adapters/languages";

export interface LanguageEvidence {
  /** Lower-case function words and question words. */
  readonly words: readonly string[];
  /** Letters or letter sequences typical of the language within its script. */
  readonly markers?: RegExp;
  /** Letters the language's orthography does not use: their presence counts against it. */
  readonly foreign?: RegExp;
}

export const EVIDENCE: Partial<Record<LanguageCode, LanguageEvidence>> = {
  // ---- Latin script
  en: {
    words:
      "the of and to in is are was what how why who when where which do does can could i you my your for with on this that it be best a an from please me about".split(
        " ",
      ),
    foreign:
      /[àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿāăąćčďđēėęěğīįıķļłńňőœřśşšţťūůűųźżžơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹɓɗƙ]/u,
  },
  de: {
    words:
      "der die das und ist ich wie was warum wer wo nicht ein eine einen mit für von zu den dem des auf im sind kann bitte mir mich du ich wir ihr es sie gibt man nach bei".split(
        " ",
      ),
    markers: /[äöüß]|sch|ung\b|lich\b/u,
  },
  es: {
    words:
      "el la los las de del y que en un una por para con cómo qué cuál cuáles es son mi me se al lo como cuando donde dónde cuándo porqué tu su sus muy".split(
        " ",
      ),
    markers: /[ñ¿¡]|ción\b|[áéíóú]/u,
    foreign: /[àèìòùâêîôûçãõäöüßåøłřěůșțăğışẹọṣịụơư]/u,
  },
  fr: {
    words:
      "le la les de des du et est que qui en un une pour avec dans sur pas je tu il elle nous vous comment quel quelle quels pourquoi c'est au aux ce cette mes mon ma ne où".split(
        " ",
      ),
    markers: /[çœàèùâêîôûëï]|eau|\b(?:l|d|qu|j|n|s|c|m|t)'/u,
    foreign: /[ñãõåøäößłřěůșțăğışẹọṣịụơư]/u,
  },
  it: {
    words:
      "il lo la gli le di del della dello delle degli e è che un una uno per con come perché qual quale sono mi non nel nella alla dei ci si da dove quando cosa".split(
        " ",
      ),
    markers: /[àèéìòù]|zione\b|gli\b|\b(?:un|l|dell|nell|all)'/u,
    foreign: /[ñãõçåøäößłřěůșțăğışẹọṣịụơư]/u,
  },
  pt: {
    words:
      "o a os as de do da dos das e é que um uma para com como por não em no na nos nas qual você meu minha se ao à são ou mais".split(
        " ",
      ),
    markers: /[ãõç]|ção\b|ções\b|lh|nh/u,
    foreign: /[ñåøäößłřěůșțăğışẹọṣịụơư]/u,
  },
  nl: {
    words:
      "de het een en van is in op met voor hoe wat waarom wie waar niet ik je jij zijn dat er naar te bij ook maak mijn kan kun om".split(
        " ",
      ),
    markers: /ij|oe|aa|ee|oo|uu|sch/u,
    foreign: /[ñãõçåøäößłřěůșțăğışẹọṣịụơư]/u,
  },
  sv: {
    words:
      "och i att det är en ett på för med som av hur vad varför jag du inte till den har kan man vi om mina min".split(
        " ",
      ),
    markers: /[åäö]/u,
    foreign: /[ñãõçøüßłřěůșțăğışẹọṣịụơư]/u,
  },
  pl: {
    words: "i w na z do się nie jest jak co dlaczego to że czy jaka jaki jakie dla o po od mi mnie ten ta być".split(
      " ",
    ),
    markers: /[łąęśźżńó]|rz|sz|cz|dz/u,
  },
  cs: {
    words: "a v na se je jak co proč to že jaké jaká jaký pro z do o není mi bys byl jsem si ve ze".split(" "),
    markers: /[řěůčšžďťň]/u,
  },
  ro: {
    words: "și în de la cu este care cum ce un o pentru nu se mai din pe sunt îmi mă te rog ne al ale".split(" "),
    markers: /[șțşţăâî]/u,
  },
  lt: {
    words: "ir yra kaip kas kodėl kokia koks kokie į su iš ar ne tai už apie man mane mano".split(" "),
    markers: /[ąčęėįšųūž]/u,
  },
  tr: {
    words: "ve bir bu için ile ne nasıl neden mi mı mu mü da de değil en çok var yok ben sen nedir neresidir".split(
      " ",
    ),
    markers: /[ğışİçöü]/u,
  },
  id: {
    words:
      "dan yang di ke dari untuk dengan apa bagaimana mengapa ini itu adalah tidak saya cara bisa akan juga kamu anda karena kemarin bersama jadwal".split(
        " ",
      ),
  },
  ms: {
    words:
      "dan yang di ke dari untuk dengan apakah bagaimana kenapa ini itu ialah tidak saya cara boleh akan juga awak hendak kerana semalam kanak-kanak tolong kawan".split(
        " ",
      ),
  },
  fil: {
    words:
      "ang ng mga sa na ay ano paano bakit si ni kay para at ko mo ba po hindi may ako ikaw siya kami tayo nang".split(
        " ",
      ),
  },
  vi: {
    words:
      "của là và có không cho các những một được trong người tôi bạn gì tại sao cách như thế nào ở đi về với".split(
        " ",
      ),
    markers: /[ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u,
  },
  sw: {
    words:
      "na ya wa za kwa ni la katika mimi wewe nini jinsi gani hii hiyo tafadhali ninaweza unaweza kuna wangu yangu bora je au kuwa sana kama lakini pia kwamba hapa huu".split(
        " ",
      ),
  },
  ha: {
    words: "da na a ta ba ne ce yadda me menene zuwa don wannan kuma daga su mu yaya ake nawa ga mini tare".split(" "),
    markers: /[ɓɗƙ]|ts|\b(?:ka|ki)\b/u,
  },
  yo: {
    words: "ti ni àti ó sí fún kí bí ṣe lè wọn mi jẹ́ ní pé àwọn ìwé ló tí".split(" "),
    markers: /[ẹọṣ]|[àáèéìíòóùú]/u,
  },
  ig: {
    words: "na nke ka m ga ha kedu gịnị otu maka biko ya ndị ihe ọ ị anyị unu esi".split(" "),
    markers: /[ịọụṅ]/u,
  },
  so: {
    words: "iyo oo ka ku u waa ma maxay sidee aan ee la yahay ah waxaa ii ugu si baan ayaa".split(" "),
    markers: /aa|dh|\bx|ii|uu/u,
  },
  sn: {
    words: "ne kana uye ndi ku mu pa ndeipi sei here zvino iyi iri ndapota ndinganyora".split(" "),
    markers: /zv|dz|\bnd|sv/u,
  },
  ny: {
    words: "ndi kodi kuti wa ya la za ku mu chiyani bwanji ndikufuna ine chonde".split(" "),
    markers: /ch|dz|ng'/u,
  },
  mg: {
    words: "ny sy amin ho an ary dia fa tsy inona ahoana nahoana no izy aho ve ianao azafady ity".split(" "),
    markers: /ts|'ny\b|ao\b/u,
  },
  // ---- Cyrillic
  ru: {
    words: "и в не на что как я с по это почему какая какой где для вы мы он она".split(" "),
    markers: /[ыэъё]/u,
    foreign: /[іїєґңөүђјљњћџ]/u,
  },
  uk: {
    words: "і в не на що як я з по це чому яка який де для ви ми у та".split(" "),
    markers: /[іїєґ]/u,
    foreign: /[ыэъёңөүђјљњћџ]/u,
  },
  sr: {
    words: "и у не на шта како ја са по је зашто који која где за да се ли".split(" "),
    markers: /[ђјљњћџ]/u,
    foreign: /[ыэъёіїєґңөүйщьяю]/u,
  },
  ky: {
    words: "жана бул эмне кантип мен сен үчүн кайсы эң менен деп да бир".split(" "),
    markers: /[ңөү]/u,
    foreign: /[іїєґђјљњћџ]/u,
  },
  // ---- Arabic script
  ar: {
    words: "في من على إلى ما هي هو كيف لماذا متى هل أن هذا هذه التي الذي".split(" "),
    markers: /[ةىيكأإؤئ]|(?:^|\s)ال/u,
    foreign: /[پچژگکی]/u,
  },
  fa: {
    words: "در از به که این آن را با است چگونه چرا کجا چه برای می من تو".split(" "),
    markers: /[پچژگکی]|\u200c/u,
    foreign: /[ةىيك]/u,
  },
  // ---- Devanagari
  hi: {
    words: "है हैं का की के में से और को कैसे क्या क्यों लिए था थी आप मैं यह नहीं करें कृपया".split(" "),
    markers: /ें|ैं|़/u,
  },
  ne: {
    words: "छ हो को मा र गर्न कसरी किन के लागि हुन्छ छन् तपाईं म यो पनि कति कहाँ भने".split(" "),
    markers: /हरू|न्छ|ँ|ले(?:\s|$)|बाट|सँग/u,
  },
};
