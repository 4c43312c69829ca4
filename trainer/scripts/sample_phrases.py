"""Phrase tables for compass's embedded sample data, written for this project by its developers.

Per language and topic: three question templates with a slot ``{x}`` and three slot fillers (9 questions), plus one
answer template per language. 8 languages over 5 scripts (Latin: en, sw, de, es; Cyrillic: ru; Devanagari: hi;
Arabic: ar; Han: zh) × 10 topics.
"""

TOPICS = ["weather", "cooking", "health", "travel", "math", "history", "technology", "money", "sports", "farming"]

ANSWERS = {
    "en": "Here is a short, clear answer about {x}.",
    "sw": "Hili ni jibu fupi na wazi kuhusu {x}.",
    "de": "Hier ist eine kurze, klare Antwort zu {x}.",
    "es": "Aquí tienes una respuesta breve y clara sobre {x}.",
    "ru": "Вот короткий и понятный ответ про {x}.",
    "hi": "यह {x} के बारे में एक छोटा और साफ़ जवाब है।",
    "ar": "هذه إجابة قصيرة وواضحة عن {x}.",
    "zh": "这是关于{x}的简短明确的回答。",
}

PHRASES = {
    "en": {
        "weather": (
            ["Will there be {x} tomorrow?", "How do meteorologists forecast {x}?", "What causes {x} in the afternoon?"],
            ["heavy rain", "strong wind", "a thunderstorm"],
        ),
        "cooking": (["How do I cook {x} at home?", "What spices go well with {x}?", "How long should {x} simmer?"], ["rice pilaf", "bean stew", "fish curry"]),
        "health": (
            ["What are the early symptoms of {x}?", "How can I prevent {x}?", "When should I see a doctor about {x}?"],
            ["malaria", "high blood pressure", "diabetes"],
        ),
        "travel": (
            ["What is the cheapest way to reach {x}?", "Which documents do I need to visit {x}?", "What should I see first in {x}?"],
            ["Nairobi", "Lisbon", "Kyoto"],
        ),
        "math": (
            ["How do I solve {x}?", "Can you explain {x} with an example?", "Why does {x} work?"],
            ["a quadratic equation", "long division", "the Pythagorean theorem"],
        ),
        "history": (
            ["What caused {x}?", "Who were the leaders during {x}?", "How did {x} change the world?"],
            ["the First World War", "the fall of Rome", "the Industrial Revolution"],
        ),
        "technology": (
            ["How does {x} work?", "Is {x} safe to use?", "How do I set up {x} on my phone?"],
            ["mobile money", "cloud storage", "two-factor authentication"],
        ),
        "money": (
            ["How do I start {x}?", "What are the risks of {x}?", "How much interest does {x} pay?"],
            ["a savings account", "a small business loan", "a retirement plan"],
        ),
        "sports": (
            ["What are the rules of {x}?", "How can I get better at {x}?", "Which country is best at {x}?"],
            ["football", "long-distance running", "basketball"],
        ),
        "farming": (
            ["When is the best season to plant {x}?", "How do I protect {x} from pests?", "How much water does {x} need?"],
            ["maize", "cassava", "coffee"],
        ),
    },
    "sw": {
        "weather": (
            ["Je, kesho kutakuwa na {x}?", "Wataalamu wa hali ya hewa hutabiri vipi {x}?", "Nini husababisha {x} mchana?"],
            ["mvua kubwa", "upepo mkali", "radi na ngurumo"],
        ),
        "cooking": (
            ["Ninapikaje {x} nyumbani?", "Viungo gani vinafaa kwa {x}?", "{x} inapaswa kuchemka kwa muda gani?"],
            ["pilau ya wali", "maharage ya nazi", "samaki wa kupaka"],
        ),
        "health": (
            ["Dalili za mwanzo za {x} ni zipi?", "Ninawezaje kujikinga na {x}?", "Ni lini nimwone daktari kuhusu {x}?"],
            ["malaria", "shinikizo la damu", "kisukari"],
        ),
        "travel": (
            ["Njia nafuu zaidi ya kufika {x} ni ipi?", "Ninahitaji nyaraka gani kutembelea {x}?", "Nione nini kwanza nikiwa {x}?"],
            ["Mombasa", "Zanzibar", "Arusha"],
        ),
        "math": (
            ["Ninatatuaje {x}?", "Unaweza kueleza {x} kwa mfano?", "Kwa nini {x} inafanya kazi?"],
            ["mlinganyo wa pili", "kugawanya kwa urefu", "nadharia ya Pythagoras"],
        ),
        "history": (
            ["Nini kilisababisha {x}?", "Viongozi gani walikuwepo wakati wa {x}?", "{x} ilibadilishaje dunia?"],
            ["vita vya Maji Maji", "uhuru wa Tanganyika", "biashara ya pwani"],
        ),
        "technology": (
            ["{x} inafanyaje kazi?", "Je, {x} ni salama kutumia?", "Ninawekaje {x} kwenye simu yangu?"],
            ["pesa kwa simu", "hifadhi ya wingu", "uthibitisho wa hatua mbili"],
        ),
        "money": (
            ["Ninaanzaje {x}?", "Hatari za {x} ni zipi?", "{x} inalipa riba kiasi gani?"],
            ["akaunti ya akiba", "mkopo wa biashara ndogo", "mpango wa kustaafu"],
        ),
        "sports": (
            ["Sheria za {x} ni zipi?", "Ninawezaje kuwa bora katika {x}?", "Nchi gani ni bora katika {x}?"],
            ["mpira wa miguu", "mbio za masafa marefu", "mpira wa kikapu"],
        ),
        "farming": (["Msimu gani ni bora kupanda {x}?", "Ninalindaje {x} dhidi ya wadudu?", "{x} inahitaji maji kiasi gani?"], ["mahindi", "mihogo", "kahawa"]),
    },
    "de": {
        "weather": (
            ["Gibt es morgen {x}?", "Wie sagen Meteorologen {x} voraus?", "Was verursacht {x} am Nachmittag?"],
            ["starken Regen", "heftigen Wind", "ein Gewitter"],
        ),
        "cooking": (
            ["Wie koche ich {x} zu Hause?", "Welche Gewürze passen zu {x}?", "Wie lange muss {x} köcheln?"],
            ["Reispfanne", "Bohneneintopf", "Fischcurry"],
        ),
        "health": (
            ["Was sind die ersten Anzeichen von {x}?", "Wie kann ich {x} vorbeugen?", "Wann sollte ich wegen {x} zum Arzt?"],
            ["Malaria", "Bluthochdruck", "Diabetes"],
        ),
        "travel": (
            ["Wie komme ich am günstigsten nach {x}?", "Welche Papiere brauche ich für {x}?", "Was sollte ich in {x} zuerst ansehen?"],
            ["Hamburg", "Wien", "Zürich"],
        ),
        "math": (
            ["Wie löse ich {x}?", "Kannst du {x} an einem Beispiel erklären?", "Warum funktioniert {x}?"],
            ["eine quadratische Gleichung", "die schriftliche Division", "den Satz des Pythagoras"],
        ),
        "history": (
            ["Was war die Ursache für {x}?", "Wer regierte während {x}?", "Wie hat {x} die Welt verändert?"],
            ["den Ersten Weltkrieg", "den Fall der Mauer", "die Industrialisierung"],
        ),
        "technology": (
            ["Wie funktioniert {x}?", "Ist {x} sicher?", "Wie richte ich {x} auf dem Handy ein?"],
            ["mobiles Bezahlen", "Cloud-Speicher", "Zwei-Faktor-Authentifizierung"],
        ),
        "money": (
            ["Wie eröffne ich {x}?", "Welche Risiken hat {x}?", "Wie viel Zinsen bringt {x}?"],
            ["ein Sparkonto", "einen Kleinkredit", "eine Altersvorsorge"],
        ),
        "sports": (
            ["Was sind die Regeln beim {x}?", "Wie werde ich besser im {x}?", "Welches Land ist am besten im {x}?"],
            ["Fußball", "Langstreckenlauf", "Basketball"],
        ),
        "farming": (
            ["Wann pflanzt man am besten {x}?", "Wie schütze ich {x} vor Schädlingen?", "Wie viel Wasser braucht {x}?"],
            ["Mais", "Kartoffeln", "Weizen"],
        ),
    },
    "es": {
        "weather": (
            ["¿Habrá {x} mañana?", "¿Cómo pronostican los meteorólogos {x}?", "¿Qué causa {x} por la tarde?"],
            ["lluvia fuerte", "viento intenso", "una tormenta eléctrica"],
        ),
        "cooking": (
            ["¿Cómo cocino {x} en casa?", "¿Qué especias van bien con {x}?", "¿Cuánto tiempo debe hervir {x}?"],
            ["arroz con pollo", "guiso de frijoles", "pescado al curry"],
        ),
        "health": (
            ["¿Cuáles son los primeros síntomas de {x}?", "¿Cómo puedo prevenir {x}?", "¿Cuándo debo ir al médico por {x}?"],
            ["la malaria", "la presión alta", "la diabetes"],
        ),
        "travel": (
            ["¿Cuál es la forma más barata de llegar a {x}?", "¿Qué documentos necesito para visitar {x}?", "¿Qué debo ver primero en {x}?"],
            ["Sevilla", "Cusco", "Cartagena"],
        ),
        "math": (
            ["¿Cómo resuelvo {x}?", "¿Puedes explicar {x} con un ejemplo?", "¿Por qué funciona {x}?"],
            ["una ecuación cuadrática", "la división larga", "el teorema de Pitágoras"],
        ),
        "history": (
            ["¿Qué causó {x}?", "¿Quiénes gobernaban durante {x}?", "¿Cómo cambió {x} el mundo?"],
            ["la Primera Guerra Mundial", "la caída de Roma", "la independencia de México"],
        ),
        "technology": (
            ["¿Cómo funciona {x}?", "¿Es seguro usar {x}?", "¿Cómo configuro {x} en mi teléfono?"],
            ["el dinero móvil", "el almacenamiento en la nube", "la verificación en dos pasos"],
        ),
        "money": (
            ["¿Cómo abro {x}?", "¿Cuáles son los riesgos de {x}?", "¿Cuánto interés paga {x}?"],
            ["una cuenta de ahorros", "un préstamo para negocio", "un plan de jubilación"],
        ),
        "sports": (
            ["¿Cuáles son las reglas del {x}?", "¿Cómo puedo mejorar en el {x}?", "¿Qué país es el mejor en {x}?"],
            ["fútbol", "atletismo de fondo", "baloncesto"],
        ),
        "farming": (
            ["¿Cuál es la mejor época para sembrar {x}?", "¿Cómo protejo {x} de las plagas?", "¿Cuánta agua necesita {x}?"],
            ["el maíz", "la yuca", "el café"],
        ),
    },
    "ru": {
        "weather": (
            ["Будет ли завтра {x}?", "Как синоптики прогнозируют {x}?", "Что вызывает {x} после обеда?"],
            ["сильный дождь", "штормовой ветер", "гроза"],
        ),
        "cooking": (["Как приготовить {x} дома?", "Какие специи подходят к {x}?", "Сколько варить {x}?"], ["плов", "фасолевый суп", "рыбу в соусе"]),
        "health": (["Каковы первые симптомы {x}?", "Как предотвратить {x}?", "Когда идти к врачу из-за {x}?"], ["малярии", "гипертонии", "диабета"]),
        "travel": (
            ["Как дешевле всего добраться до {x}?", "Какие документы нужны для поездки в {x}?", "Что посмотреть в {x} в первую очередь?"],
            ["Казани", "Иркутска", "Калининграда"],
        ),
        "math": (["Как решить {x}?", "Объясни {x} на примере", "Почему работает {x}?"], ["квадратное уравнение", "деление в столбик", "теорему Пифагора"]),
        "history": (
            ["Что стало причиной {x}?", "Кто правил во время {x}?", "Как {x} изменила мир?"],
            ["Первой мировой войны", "падения Рима", "промышленной революции"],
        ),
        "technology": (
            ["Как работает {x}?", "Безопасно ли пользоваться {x}?", "Как настроить {x} на телефоне?"],
            ["мобильный банк", "облачное хранилище", "двухфакторную защиту"],
        ),
        "money": (
            ["Как открыть {x}?", "Какие риски у {x}?", "Какой процент приносит {x}?"],
            ["сберегательный счёт", "кредит для малого бизнеса", "пенсионный план"],
        ),
        "sports": (
            ["Какие правила у {x}?", "Как стать лучше в {x}?", "Какая страна сильнее всех в {x}?"],
            ["футбола", "бега на длинные дистанции", "баскетбола"],
        ),
        "farming": (["Когда лучше сажать {x}?", "Как защитить {x} от вредителей?", "Сколько воды нужно {x}?"], ["кукурузу", "картофель", "пшеницу"]),
    },
    "hi": {
        "weather": (["क्या कल {x} होगी?", "मौसम वैज्ञानिक {x} का अनुमान कैसे लगाते हैं?", "दोपहर में {x} क्यों होती है?"], ["भारी बारिश", "तेज़ हवा", "आंधी"]),
        "cooking": (["घर पर {x} कैसे बनाएं?", "{x} के साथ कौन से मसाले अच्छे लगते हैं?", "{x} को कितनी देर पकाना चाहिए?"], ["वेज पुलाव", "राजमा", "मछली करी"]),
        "health": (["{x} के शुरुआती लक्षण क्या हैं?", "मैं {x} से कैसे बचूं?", "{x} के लिए डॉक्टर को कब दिखाना चाहिए?"], ["मलेरिया", "उच्च रक्तचाप", "मधुमेह"]),
        "travel": (["{x} पहुंचने का सबसे सस्ता तरीका क्या है?", "{x} जाने के लिए कौन से कागज़ चाहिए?", "{x} में सबसे पहले क्या देखें?"], ["जयपुर", "वाराणसी", "गोवा"]),
        "math": (["{x} कैसे हल करें?", "क्या आप {x} को उदाहरण से समझा सकते हैं?", "{x} क्यों काम करता है?"], ["द्विघात समीकरण", "लंबा भाग", "पाइथागोरस प्रमेय"]),
        "history": (["{x} का कारण क्या था?", "{x} के समय नेता कौन थे?", "{x} ने दुनिया को कैसे बदला?"], ["प्रथम विश्व युद्ध", "भारत की आज़ादी", "औद्योगिक क्रांति"]),
        "technology": (["{x} कैसे काम करता है?", "क्या {x} सुरक्षित है?", "फ़ोन पर {x} कैसे चालू करें?"], ["यूपीआई भुगतान", "क्लाउड स्टोरेज", "दो चरण सत्यापन"]),
        "money": (["{x} कैसे शुरू करें?", "{x} के जोखिम क्या हैं?", "{x} पर कितना ब्याज मिलता है?"], ["बचत खाता", "छोटे व्यापार का ऋण", "पेंशन योजना"]),
        "sports": (["{x} के नियम क्या हैं?", "मैं {x} में बेहतर कैसे बनूं?", "{x} में कौन सा देश सबसे अच्छा है?"], ["क्रिकेट", "लंबी दौड़", "कबड्डी"]),
        "farming": (["{x} बोने का सबसे अच्छा मौसम कौन सा है?", "{x} को कीड़ों से कैसे बचाएं?", "{x} को कितना पानी चाहिए?"], ["गेहूं", "धान", "गन्ना"]),
    },
    "ar": {
        "weather": (["هل سيكون هناك {x} غدا؟", "كيف يتنبأ خبراء الأرصاد بـ{x}؟", "ما سبب {x} بعد الظهر؟"], ["مطر غزير", "رياح قوية", "عاصفة رعدية"]),
        "cooking": (["كيف أطبخ {x} في البيت؟", "ما التوابل المناسبة لـ{x}؟", "كم من الوقت يجب أن يغلي {x}؟"], ["الأرز بالدجاج", "حساء الفول", "السمك بالكاري"]),
        "health": (["ما الأعراض الأولى لـ{x}؟", "كيف أقي نفسي من {x}؟", "متى يجب أن أزور الطبيب بسبب {x}؟"], ["الملاريا", "ارتفاع ضغط الدم", "السكري"]),
        "travel": (["ما أرخص طريقة للوصول إلى {x}؟", "ما الوثائق التي أحتاجها لزيارة {x}؟", "ماذا أزور أولا في {x}؟"], ["القاهرة", "مراكش", "دبي"]),
        "math": (["كيف أحل {x}؟", "هل يمكنك شرح {x} بمثال؟", "لماذا تعمل {x}؟"], ["معادلة تربيعية", "القسمة الطويلة", "نظرية فيثاغورس"]),
        "history": (["ما سبب {x}؟", "من كان القادة خلال {x}؟", "كيف غيرت {x} العالم؟"], ["الحرب العالمية الأولى", "سقوط الأندلس", "الثورة الصناعية"]),
        "technology": (["كيف تعمل {x}؟", "هل {x} آمنة؟", "كيف أفعل {x} على هاتفي؟"], ["المحفظة الإلكترونية", "التخزين السحابي", "المصادقة الثنائية"]),
        "money": (["كيف أفتح {x}؟", "ما مخاطر {x}؟", "كم فائدة يدفع {x}؟"], ["حساب توفير", "قرض مشروع صغير", "خطة تقاعد"]),
        "sports": (["ما قواعد {x}؟", "كيف أتحسن في {x}؟", "أي دولة هي الأفضل في {x}؟"], ["كرة القدم", "الجري لمسافات طويلة", "كرة السلة"]),
        "farming": (["ما أفضل موسم لزراعة {x}؟", "كيف أحمي {x} من الآفات؟", "كم يحتاج {x} من الماء؟"], ["القمح", "النخيل", "الزيتون"]),
    },
    "zh": {
        "weather": (["明天会有{x}吗？", "气象学家怎样预报{x}？", "下午为什么会有{x}？"], ["大雨", "大风", "雷阵雨"]),
        "cooking": (["在家怎么做{x}？", "{x}配什么香料好？", "{x}要炖多久？"], ["手抓饭", "豆子汤", "咖喱鱼"]),
        "health": (["{x}的早期症状是什么？", "怎样预防{x}？", "{x}什么时候该去看医生？"], ["疟疾", "高血压", "糖尿病"]),
        "travel": (["去{x}最便宜的方式是什么？", "去{x}需要哪些证件？", "到了{x}先看什么？"], ["西安", "成都", "桂林"]),
        "math": (["怎么解{x}？", "能举例解释{x}吗？", "{x}为什么成立？"], ["一元二次方程", "长除法", "勾股定理"]),
        "history": (["{x}的起因是什么？", "{x}期间的领导人是谁？", "{x}怎样改变了世界？"], ["第一次世界大战", "罗马帝国的衰落", "工业革命"]),
        "technology": (["{x}是怎么工作的？", "{x}安全吗？", "怎么在手机上设置{x}？"], ["移动支付", "云存储", "双重验证"]),
        "money": (["怎么开{x}？", "{x}有什么风险？", "{x}的利息是多少？"], ["储蓄账户", "小微企业贷款", "养老计划"]),
        "sports": (["{x}的规则是什么？", "怎样提高{x}水平？", "哪个国家{x}最强？"], ["足球", "长跑", "篮球"]),
        "farming": (["什么季节种{x}最好？", "怎样防止{x}生虫？", "{x}需要多少水？"], ["玉米", "水稻", "茶叶"]),
    },
}
