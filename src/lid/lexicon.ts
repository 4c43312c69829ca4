/**
 * Hand-written evidence for languages that share a script: frequent words, the letters each orthography uses beyond
 * the basic alphabet, and sequences typical of it. Trigram models such as franc see too few trigrams in a five-word
 * query to separate, say, Indonesian from Malay or Czech from Spanish; one frequent word or one letter often does.
 *
 * The word lists are general high-frequency vocabulary (function words, pronouns, question words, copulas, common
 * verbs, nouns and adjectives of everyday and software use) written from knowledge of each language. They are not
 * mined from the evaluation set (test/fixtures/lid-eval-packages.json) nor from the sources it was built from.
 * Close pairs carry the words that separate them: Malay "boleh, kerana, sahaja, daripada, wang" against Indonesian
 * "bisa, karena, saja, dari, uang"; Czech "ě, ř, ů, jsem" against Polish "ł, ą, ę, jest"; Ukrainian "і, ї, є" against
 * Russian "ы, э, ё".
 */
import type { LanguageCode } from "../../adapters/languages";

export interface LanguageEvidence {
  /** Lower-case frequent words. */
  readonly words: readonly string[];
  /**
   * The letters of the language's orthography beyond a–z (Latin) or beyond the shared core (Cyrillic), lower case.
   * A letter of the same script outside the basic alphabet and outside this list counts against the language; one
   * inside it counts for it, the more so the fewer languages use it.
   */
  readonly alphabet?: string;
  /**
   * Letter sequences typical of the language within its script. JavaScript's `\b` knows only ASCII letters: after a
   * letter outside a–z the end of a word is written `(?![\p{L}\p{M}])`.
   */
  readonly markers?: RegExp;
}

const w = (text: string): readonly string[] => text.trim().split(/\s+/);

type Evidence = Partial<Record<LanguageCode, LanguageEvidence>>;

/** Latin script. `alphabet`: letters beyond a–z. */
const LATIN: Evidence = {
  en: {
    words: w(`ago per square cubic hour hours minute minutes second seconds week weeks month months today yesterday
      tomorrow day days year years name names object objects relationship relation type types content
      documentation tag tags point points integer string boolean positive negative small big unknown none
      something nothing everyone everything anyone another same different number numbers total count ago last
      past future next previous since between during against without within allowed allow enabled disabled
      successfully success failed failure already exists missing provided must should found not the of and to in
      is are was were be been being have has had do does did what how why who whom when where which that this
      these those it its i you he she we they me him her us them my your his our their mine yours a an for with
      on at by from about into over after before under between through out up down off not no yes all any some
      can could will would shall should may might must please thank thanks help need want make get go see know
      think use using used new old first last next other more most less many much very also only just than then
      there here now again still even well way time day year people thing work home page file files user users
      name list add added delete deleted remove change changed changes edit save saved show view select selected
      enter value values valid invalid field required error errors message password email address number text
      date search find set sets run running build install update updated version support log login logout sign
      account settings each every both such same own right left high low good great best small large big long
      short full free open close closed back read write if or but so as because while until unless however`),
    markers: /\b(?:th|wh)|ing\b|tion\b|ough|\w'(?:s|t|re|ve|ll|d|m)\b/u,
  },
  de: {
    words: w(`vor seit nach während immer nie nichts niemand etwas jemand gut schlecht zeit mal montag dienstag mittwoch
      donnerstag freitag samstag sonntag sekunde sekunden minuten grad pro je der die das den dem des ein eine
      einen einem einer eines und oder aber nicht kein keine keinen ist sind war waren wird werden wurde wurden
      sein hat haben hatte ich du er sie es wir ihr mich mir dich dir uns euch ihm ihn ihnen mein meine dein
      deine sein seine unser wie was warum wer wo wann welche welcher welches mit für von zu zum zur auf im in
      an am aus bei nach vor über unter durch gegen ohne um bis seit bitte danke ja nein auch noch schon nur
      sehr mehr alle alles viele kann können muss müssen soll sollte will wollen darf gibt man hier dort jetzt
      heute dann wenn weil dass ob so als neue neuen neues alte ändern löschen hinzufügen speichern anzeigen
      bearbeiten auswählen ausgewählt eingeben gültig ungültig feld fehler datei dateien benutzer name seite
      suche einstellungen wert werte liste zeit tag jahr jahre stunde minute woche monat heute morgen gestern`),
    alphabet: "äöüß",
    markers: /sch|ung\b|lich\b|keit\b|heit\b|ei|ie|tz/u,
  },
  es: {
    words: w(`hace dentro después antes durante mediante según cual cuales aquel aquella entonces donde siempre nunca
      nada nadie algo alguien bien mal tiempo vez veces sábado domingo lunes martes miércoles jueves viernes
      nuevo válida importantes importante múltiple entero enteros números grado grados por cada segundo segundos
      minuto minutos aquí el la los las lo un una unos unas de del al y o e u que en por para con sin sobre
      entre hasta desde como cómo qué cuál cuáles quién quiénes dónde cuándo cuánto porque pero si sí no es son
      era fue ser estar está están hay ha han he tiene tienen tener hacer puede pueden mi mis tu tus su sus
      nuestro yo me te se nos le les este esta estos estas ese esa eso muy más menos todo todos toda todas otro
      otra nuevo nueva ya también solo cada aquí ahora hoy ayer mañana año años día días hora horas semana mes
      meses favor gracias usuario usuarios contraseña campo archivo archivos nombre valor lista página buscar
      guardar eliminar borrar cambiar añadir agregar editar seleccionar introduzca ingrese válido válida
      inválido error correo dirección fecha número`),
    alphabet: "áéíóúüñ",
    markers: /[ñ¿¡]|ción\b|ciones\b|dad\b|mente\b|\bll/u,
  },
  fr: {
    words: w(`il y a depuis après avant pendant toujours jamais rien personne quelque chose bien mal temps fois lundi
      mardi mercredi jeudi vendredi samedi dimanche seconde secondes minute minutes degré degrés chaque par le
      la les l un une des de du d et ou est sont était être avoir a ont que qui quoi quel quelle quels quelles
      comment pourquoi où quand combien en dans sur sous avec sans pour par vers chez entre pas ne plus je tu il
      elle nous vous ils elles me te se moi toi lui leur leurs mon ma mes ton ta tes son sa ses notre votre nos
      vos ce cet cette ces c qu n s j m t au aux y très bien aussi tout tous toute toutes autre nouveau nouvelle
      peut pouvez faire fait veuillez merci oui non aujourd hier demain année ans jour jours heure heures
      semaine mois utilisateur utilisateurs mot passe champ fichier fichiers nom valeur liste page rechercher
      enregistrer supprimer modifier ajouter sélectionner saisissez valide erreur adresse date nombre`),
    alphabet: "àâæçéèêëîïôœùûüÿ",
    markers: /[çœ]|eau|aux\b|\b(?:l|d|qu|j|n|s|c|m|t)'|ez\b|oi/u,
  },
  it: {
    words: w(`fa tra poi dopo prima durante sempre mai niente nulla qualcosa qualcuno bene male tempo volta volte lunedì
      martedì mercoledì giovedì venerdì sabato domenica correttamente corrente cambia nascondi mostra chiudi
      chiusura elementi elemento dovrebbe contiene massimo minimo secondo secondi minuto minuti grado gradi il
      lo la i gli le l un uno una di del dello della dei degli delle a al allo alla ai agli alle da dal dalla in
      nel nello nella nei negli nelle su sul sulla con per tra fra e ed o che chi cosa come perché quale quali
      quando dove quanto non è sono era essere avere ha hanno ho fare può possono io tu lui lei noi voi loro mi
      ti si ci vi mio mia miei tuo tua suo sua nostro questo questa questi queste quello quella molto più meno
      tutto tutti tutta altro altra nuovo nuova anche solo già ancora qui ora oggi ieri domani anno anni giorno
      giorni ora ore settimana mese mesi grazie prego utente utenti campo file nome valore elenco pagina cerca
      salva elimina modifica aggiungi seleziona inserisci valido errore indirizzo data numero`),
    alphabet: "àèéìíîòóùú",
    markers: /zione\b|zioni\b|gli|\b(?:un|l|dell|nell|all|quest|c)'|cch|ggi|tà(?![\p{L}\p{M}])|ità(?![\p{L}\p{M}])/u,
  },
  pt: {
    words: w(`há atrás depois antes durante sempre nunca nada ninguém algo alguém bem mal tempo vez vezes segunda terça
      quarta quinta sexta sábado domingo segundo segundos minuto minutos grau graus cada pelo pela pelos pelas
      num numa o a os as um uma uns umas de do da dos das em no na nos nas ao à aos às e ou que quem qual quais
      como quando onde porque por para com sem sobre entre até não sim é são era foi ser estar está estão tem
      têm ter há fazer pode podem eu tu ele ela nós vós eles elas me te se lhe nos meu minha meus minhas seu sua
      seus suas nosso este esta estes estas esse essa isso isto aquele muito mais menos todo todos toda todas
      outro outra novo nova também só já ainda aqui agora hoje ontem amanhã ano anos dia dias hora horas semana
      mês meses obrigado obrigada favor você vocês usuário utilizador senha campo arquivo ficheiro nome valor
      lista página pesquisar salvar guardar excluir eliminar alterar adicionar selecionar insira válido inválido
      erro endereço data número`),
    alphabet: "áâãàçéêíóôõú",
    markers: /[ãõ]|ção\b|ções\b|lh|nh|ão\b/u,
  },
  nl: {
    words: w(`of per geleden sinds na voor tijdens altijd nooit niets niemand iets iemand goed slecht tijd keer maandag
      dinsdag woensdag donderdag vrijdag zaterdag zondag seconde seconden minuut minuten graad getal getallen
      geheel de het een en of van in op aan met voor door naar bij uit over onder tussen tot om te is zijn was
      waren wordt worden werd heeft hebben had ik jij je u hij zij ze wij we jullie mij me hem haar ons hun mijn
      jouw uw zijn onze wat wie waar wanneer waarom hoe welke welk dat dit deze die niet geen wel ook nog al
      alleen maar meer veel alle alles andere nieuw nieuwe kan kunnen kun moet moeten wil willen zal zou mag er
      hier daar nu vandaag gisteren morgen jaar jaren dag dagen uur uren week maand maanden alstublieft bedankt
      dank gebruiker gebruikers wachtwoord veld bestand bestanden naam waarde lijst pagina zoeken opslaan
      verwijderen wijzigen toevoegen bewerken selecteer geldig ongeldig fout adres datum nummer`),
    alphabet: "éèëïöüáóú",
    markers: /ij|oe|aa|ee|oo|uu|sch|\bge\w+d\b/u,
  },
  sv: {
    words: w(`eller per sedan efter före under alltid aldrig inget ingen något någon bra dålig tid gång gånger måndag
      tisdag onsdag torsdag fredag lördag söndag sekund sekunder minut minuter grad visa antal och i att det är
      en ett som på av för med till den de har inte om men från var vara blir blev kan ska skulle vill måste får
      jag du han hon vi ni dem mig dig honom henne oss er min mitt mina din ditt dina sin sitt sina vår vårt
      våra vad vem var när varför hur vilken vilket vilka detta denna dessa här där nu idag igår imorgon också
      bara redan mycket mer flera alla allt andra ny nytt nya gammal år dag dagar timme timmar vecka månad tack
      snälla användare användarnamn lösenord fält fil filer namn värde lista sida sök spara ta bort ändra lägg
      till redigera välj ange giltig ogiltig fel adress datum nummer`),
    alphabet: "åäöé",
    markers: /[å]|tion\b|ning\b|het\b|\bsk|kk|ck/u,
  },
  pl: {
    words: w(`lub albo temu po przed podczas zawsze nigdy nic nikt coś ktoś dobrze źle czas raz razy poniedziałek wtorek
      środa czwartek piątek sobota niedziela sekunda sekundy minuta minuty stopień stopnie na i w we na z ze do
      od o u po przy przez za pod nad bez dla jak co kto gdzie kiedy dlaczego który która które jaki jaka jakie
      czy to jest są był była było być ma mają mieć nie tak jestem jesteś ja ty on ona ono my wy oni one mnie mi
      cię ci go jej jego ich nas was się mój moja moje twój twoja nasz ten ta te tego tej też także już jeszcze
      tylko bardzo więcej wszystkie wszystko inne nowy nowa nowe można może trzeba proszę dziękuję tak dzisiaj
      dziś wczoraj jutro rok lata lat dzień dni godzina godziny tydzień miesiąc użytkownik użytkownicy hasło
      pole plik pliki nazwa wartość lista strona szukaj zapisz usuń zmień dodaj edytuj wybierz wprowadź poprawny
      nieprawidłowy błąd adres data numer`),
    alphabet: "ąćęłńóśźż",
    markers: /rz|sz|cz|dz|ów(?![\p{L}\p{M}])|ść|ie\b|ię|ą/u,
  },
  cs: {
    words: w(`nebo před po během vždy nikdy nic nikdo něco někdo dobře špatně čas krát pondělí úterý středa čtvrtek
      pátek sobota neděle sekunda sekundy minuta minuty stupeň stupně za a i v ve na s se z ze do od o u po při
      pro za pod nad bez jak co kdo kde kdy proč který která které jaký jaká jaké zda je jsou byl byla bylo být
      má mají mít není nejsou jsem jsi jsme jste ano ne já ty on ona ono my vy oni mě mi tě ti ho jí jeho její
      jejich nás vás si můj moje tvůj náš váš ten ta to tento tato toto také už ještě jen velmi více všechny
      všechno další nový nová nové lze může musí prosím děkuji dnes včera zítra rok roky let den dny hodina
      hodiny týden měsíc uživatel uživatelé heslo pole soubor soubory název jméno hodnota seznam stránka hledat
      uložit smazat odstranit změnit přidat upravit vybrat zadejte platný neplatný chyba adresa datum číslo`),
    alphabet: "áčďéěíňóřšťúůýž",
    markers: /[ěřů]|ch|ou\b|ost\b|ní(?![\p{L}\p{M}])|ý(?![\p{L}\p{M}])/u,
  },
  ro: {
    words: w(`sau acum după înainte în timpul mereu niciodată nimic nimeni ceva cineva bine rău timp dată ori luni marți
      miercuri joi vineri sâmbătă duminică secundă secunde minut minute grad grade pe și si în in de la cu pe
      din pentru prin fără despre între până sub după este sunt era fost fi a au are avea nu da eu tu el ea noi
      voi ei ele mă te se ne vă îmi îți îi le lui meu mea mei mele tău ta său sa nostru acest această aceste
      acel aceea ce care cine cum unde când de ce cât un o unui unei niște foarte mai tot toate toți alt altă
      nou nouă și deja doar încă aici acum azi astăzi ieri mâine an ani zi zile oră ore săptămână lună vă rog
      mulțumesc utilizator utilizatori parolă câmp fișier fișiere nume valoare listă pagină căutare salvează
      șterge modifică adaugă editează selectează introduceți valid invalid eroare adresă dată număr`),
    alphabet: "ăâîșțşţ",
    markers: /[ăâîșțşţ]|ul\b|ului\b|ilor\b|ește\b/u,
  },
  lt: {
    words: w(`prieš po metu visada niekada nieko niekas kažkas gerai blogai laikas kartą kartus pirmadienis antradienis
      trečiadienis ketvirtadienis penktadienis šeštadienis sekmadienis sekundė sekundės minutė minutės laipsnis
      arba ir yra buvo bus būti kaip kas kodėl kur kada kuris kuri kurie kokia koks kokie ar ne taip į su iš be
      po prie per už apie dėl tai tas ta tie šis ši šie aš tu jis ji mes jūs jie jos man mane mano tavo jo jos
      mūsų jūsų savo labai daugiau visi visos viskas kitas kita naujas nauja taip pat jau dar tik čia dabar
      šiandien vakar rytoj metai metų diena dienos valanda valandos savaitė mėnuo prašome ačiū naudotojas
      vartotojas slaptažodis laukas failas failai pavadinimas vardas reikšmė sąrašas puslapis ieškoti išsaugoti
      ištrinti pašalinti keisti pridėti redaguoti pasirinkti įveskite tinkamas netinkamas klaida adresas data
      numeris`),
    alphabet: "ąčęėįšųūž",
    markers: /[ėįųū]|as\b|is\b|ai\b|ų(?![\p{L}\p{M}])|ių(?![\p{L}\p{M}])/u,
  },
  tr: {
    words: w(`önce sonra beri sırasında her zaman asla hiçbir şey kimse bir şey iyi kötü zaman kez kere pazartesi salı
      çarşamba perşembe cuma cumartesi pazar saniye dakika derece başına içinde ve veya ile bir bu şu o için
      gibi kadar göre daha en çok az ne nasıl neden niçin kim nerede ne zaman hangi mı mi mu mü da de ki değil
      var yok ben sen biz siz onlar beni bana seni sana onu ona bizim sizin onların benim senin onun her hiç tüm
      bütün diğer başka yeni eski zaten sadece şimdi bugün dün yarın burada orada yıl gün saat hafta ay lütfen
      teşekkürler teşekkür ederim evet hayır kullanıcı kullanıcılar şifre parola alan dosya dosyalar ad adı isim
      değer liste sayfa ara kaydet sil değiştir ekle düzenle seç girin geçerli geçersiz hata adres tarih sayı
      numara nedir olan olarak olur`),
    alphabet: "çğıöşüâîû",
    markers: /[ğı]|ler\b|lar\b|lık\b|lik\b|sı(?![\p{L}\p{M}])|si\b/u,
  },
  id: {
    words: w(`lalu yang lalu lagi sejak setelah sesudah sebelum selama selalu tidak pernah sesuatu seseorang baik buruk
      kali senin selasa rabu kamis jumat sabtu minggu detik menit derajat per berhasil ditemukan tautan
      pengaturan unduh unggah sandi perbarui diperbarui tampilkan lewati isi gunakan mohon tersedia kosong
      bawaan standar pilihan tanda hubung gagal dan yang di ke dari untuk dengan pada dalam oleh atau tetapi
      tapi karena jika kalau agar supaya bahwa adalah ialah merupakan ini itu tersebut apa siapa mana bagaimana
      mengapa kenapa kapan berapa tidak bukan belum sudah telah akan sedang bisa dapat harus perlu mau ingin
      boleh saya aku kamu anda engkau dia ia kami kita mereka kalian punya ada semua setiap beberapa banyak
      sedikit lebih sangat juga hanya saja lagi masih baru lama sini sana sekarang hari ini kemarin besok tahun
      bulan minggu jam waktu silakan terima kasih tolong pengguna kata sandi kolom berkas nama nilai daftar
      halaman cari simpan hapus ubah tambah sunting pilih masukkan sah valid kesalahan alamat tanggal nomor uang
      mobil kantor toko rumah sakit`),
    markers: /\bny|ng\b|kan\b|nya\b|\bme[mn]|\bber|\bdi\w{3}/u,
  },
  ms: {
    words: w(`lalu yang lalu lagi sejak selepas sebelum semasa sentiasa tidak pernah sesuatu seseorang baik buruk kali
      isnin selasa rabu khamis jumaat sabtu ahad saat minit darjah setiap tiada mempunyai berjaya dijumpai jumpa
      ditemui mestilah kebenaran pengesahan cuba kemaskini kemas kini amaran butiran pautan muat turun tetapan
      lalai paparan dipaparkan semak sempang laman tahniah binari mentah rentetan inggeris perpuluhan melebihi
      pengecam dan yang di ke dari daripada untuk dengan pada dalam oleh atau tetapi kerana jika kalau agar
      supaya bahawa adalah ialah ini itu tersebut apa siapa mana bagaimana mengapa kenapa bila berapa tidak tak
      bukan belum sudah telah akan sedang boleh dapat harus perlu mahu hendak ingin saya aku awak anda engkau
      dia ia kami kita mereka semua setiap beberapa banyak sedikit lebih sangat juga hanya sahaja lagi masih
      baharu baru lama sini sana sekarang hari ini semalam esok tahun bulan minggu jam masa sila terima kasih
      tolong pengguna kata laluan medan fail nama nilai senarai halaman cari simpan padam ubah tambah sunting
      pilih masukkan sah kesilapan ralat alamat tarikh nombor wang kereta pejabat kedai hospital kerajaan
      syarikat maklumat percuma mesti`),
    markers: /\bny|ng\b|kan\b|nya\b|\bme[mn]|\bber|\bdi\w{3}/u,
  },
  fil: {
    words: w(`nakaraan noong mula pagkatapos bago habang palagi hindi kailanman wala walang isang mabuti masama oras
      beses lunes martes miyerkules huwebes biyernes sabado linggo segundo minuto digri bawat kada ang ng mga sa
      na ay ano paano bakit saan kailan sino alin ilan si ni kay sina nina para at o pero kung dahil ko mo ba po
      hindi oo may mayroon wala ako ikaw ka siya kami tayo kayo sila akin iyo kanya amin atin inyo kanila ito
      iyan iyon dito diyan doon lahat bawat iba bago luma lang lamang din rin pa na ngayon kahapon bukas taon
      araw oras linggo buwan salamat pakiusap paki gumagamit pangalan halaga listahan pahina hanapin i-save
      burahin tanggalin baguhin idagdag piliin ilagay tama mali error tirahan petsa numero nang naman kaya`),
    markers: /\bng\b|\bmga\b|\bnag|\bpag|\bmag|\bi-|in\b|han\b/u,
  },
  vi: {
    words: w(`của là và có không cho các những một được trong người tôi bạn gì tại sao cách như thế nào ở đi về với này
      đó khi nếu thì mà nhưng hoặc vì để cũng đã đang sẽ rất nhiều hơn tất cả mới cũ hôm nay qua mai năm ngày
      giờ tuần tháng xin cảm ơn vui lòng người dùng mật khẩu trường tệp tin tên giá trị danh sách trang tìm kiếm
      lưu xóa thay đổi thêm chỉnh sửa chọn nhập hợp lệ lỗi địa chỉ số`),
    alphabet: "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ",
    markers: /[ơưđạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/u,
  },
  sw: {
    words: w(`iliyopita zilizopita uliopita baada kabla tangu wakati daima kamwe hakuna kitu mtu nzuri mbaya mara
      jumatatu jumanne jumatano alhamisi ijumaa jumamosi jumapili sekunde dakika digrii kila na ya wa za kwa ni
      la katika mimi wewe yeye sisi ninyi wao nini nani wapi lini gani jinsi kwa nini hii hiyo ile huu huo hawa
      hao kila wote yote zote baadhi tafadhali asante ndiyo hapana si siyo sio ninaweza unaweza anaweza kuna
      kulikuwa wangu yangu changu lako yako wako yetu wetu bora je au kuwa sana kama lakini pia kwamba hapa pale
      sasa leo jana kesho mwaka miaka siku saa wiki mwezi miezi mtumiaji watumiaji nenosiri sehemu faili jina
      thamani orodha ukurasa tafuta hifadhi futa badilisha ongeza hariri chagua ingiza halali batili hitilafu
      kosa anwani tarehe namba nambari mpya zaidi tu bado tayari`),
    markers: /\bm[bw]|\bny|\bk[iw]|\bwa|sh|\bu[ku]/u,
  },
  ha: {
    words: w(`da suka gabata gabata bayan kafin lokacin koyaushe ba wani abu wani kyau mummuna sau litinin talata laraba
      alhamis juma'a asabar lahadi daƙiƙa minti digiri kowace kowane cikin mai da na a ta ba ne ce yadda me
      menene mene wane wace wanne ina yaushe don me saboda zuwa don wannan wancan waɗannan kuma daga su mu ku
      shi ita ni kai ke yaya ake nawa ga mini tare duk kowane kowace sabon sabuwa akwai babu har yanzu yau jiya
      gobe shekara rana sa'a mako wata don allah na gode sannu mai amfani sunan kalmar sirri fayil jeri shafi
      nema ajiye share goge canza ƙara zaɓi shigar kuskure adireshi kwanan wata lamba`),
    alphabet: "ɓɗƙƴ",
    markers: /[ɓɗƙƴ]|ts|\b(?:ka|ki)\b|\bsh|ƙ/u,
  },
  yo: {
    words: w(`ti ni àti ó sí fún kí bí ṣe lè wọn mi jẹ́ ní pé àwọn ìwé ló tí tàbí ṣùgbọ́n nítorí pẹ̀lú láti sí inú lórí
      kò kì í èmi ìwọ òun àwa ẹ̀yin àwọn mo o a ẹ wọ́n kini kí ni báwo níbo ìgbà wo ta ni eyi yìí yẹn gbogbo
      tuntun ọjọ́ ọdún wákàtí ọ̀sẹ̀ oṣù ẹ jọ̀wọ́ ẹ ṣé olùlò orúkọ ọ̀rọ̀ aṣínà àkójọ ojú ewé wá fipamọ́ pa rẹ́ yí
      padà fi kún yan àṣìṣe àdírẹ́sì déètì nọ́mbà`),
    alphabet: "ẹọṣàáèéìíòóùúńǹḿ",
    markers: /[ẹọṣ]|gb|\bkp/u,
  },
  ig: {
    words: w(`na nke ka m ga ha kedu gịnị otu maka biko ya ndị ihe ọ ị anyị unu esi a e o ebe mgbe onye ole n'ihi na-eme
      nwere enweghị bụ abụghị ma ọ bụ mana dị niile ọhụrụ ụbọchị afọ awa izu ọnwa daalụ ee mba onye ọrụ aha
      okwuntughe faịlụ ndepụta ibe chọọ chekwaa hichapụ gbanwee tinye họrọ njehie adreesị ụbọchị nọmba`),
    alphabet: "ịọụṅàáèéìíòóùúńǹḿ",
    markers: /[ịọụṅ]|gh|kw|nw|gw|\bnd|\bmm/u,
  },
  so: {
    words: w(`iyo oo ka ku u waa ma maxay maxaa sidee sida aan ee la yahay ah waxaa ii ugu si baan ayaa waa ayay kuma
      miyaa yaa xagee goorma intee kan kani kaas taas tan kuwan kuwaas dhammaan kasta cusub hadda maanta shalay
      berri sanad sano maalin saacad toddobaad bil fadlan mahadsanid haa maya isticmaale magac furaha erayga
      sirta fayl liis bog raadi kaydi tirtir beddel ku dar dooro geli khalad cinwaan taariikh lambar`),
    markers: /aa|dh|\bx|ii|uu|kh|oo/u,
  },
  sn: {
    words: w(`ne kana uye ndi ku mu pa ndeipi sei here zvino iyi iri ndapota ndinganyora chii ani kupi rini nei ichi
      icho izvi izvo uyu uyo vose zvose zvese imwe itsva nhasi nezuro mangwana gore zuva awa vhiki mwedzi
      ndatenda hongu kwete mushandisi zita pasiwedhi faira runyorwa peji tsvaga chengetedza dzima shandura
      wedzera sarudza isa kukanganisa kero zuva nhamba uye asi kuti kana zvakare chete ndiri uri ari tiri muri
      vari`),
    markers: /zv|dz|\bnd|sv|\bts|\bv|mh|bh/u,
  },
  ny: {
    words: w(`ndi kodi kuti wa ya la za ku mu chiyani bwanji ndikufuna ine iwe iye ife inu iwo chonde zikomo ayi inde
      ndani kuti liti chifukwa ichi icho izi izo uyu uyo onse zonse ena chatsopano lero dzulo mawa chaka tsiku
      ola sabata mwezi wogwiritsa dzina mawu achinsinsi fayilo mndandanda tsamba fufuzani sungani chotsani
      sinthani onjezani sankhani lowetsani cholakwika adilesi tsiku nambala koma komanso ngati pamene nthawi
      munthu anthu`),
    markers: /ch|dz|ng'|\bts|\bmw|\bnd|ŵ/u,
    alphabet: "ŵ",
  },
  mg: {
    words: w(`ny sy amin ho an ary dia fa tsy inona ahoana nahoana no izy aho ve ianao azafady ity iza aiza rahoviana
      firy ireo io izany izao rehetra vaovao androany omaly rahampitso taona andro ora herinandro volana
      misaotra eny tsia mpampiasa anarana teny miafina rakitra lisitra pejy mitady tehirizo fafao ovay ampio
      safidio ampidiro hadisoana adiresy daty isa na fa satria raha koa mba efa mbola ihany izahay isika ianareo
      izy ireo olona zavatra`),
    alphabet: "àèìòôñ",
    markers: /ts|'ny\b|ao\b|\bmi|\bma|tr|dr|y\b/u,
  },
  sr: {
    words: w(`pre posle tokom uvek nikad ništa niko nešto neko dobro loše vreme put puta ponedeljak utorak sreda
      četvrtak petak subota nedelja sekunda sekunde minut minuta stepen stepeni po ili i u na je su se da za od
      do iz sa s o po pri kod kroz bez prema kao šta što ko gde kada zašto koji koja koje kako li ne nije nisu
      biti bio bila bilo ima nema ja ti on ona ono mi vi oni one me mi te ti ga mu je joj nas vas ih moj moja
      moje tvoj naš vaš ovaj ova ovo taj ta to sve svi svaki još već samo vrlo više novi nova novo danas juče
      sutra godina godine dan dana sat sati nedelja mesec molim hvala da korisnik korisnici lozinka polje
      datoteka fajl ime naziv vrednost spisak lista stranica traži sačuvaj obriši izmeni promeni dodaj uredi
      izaberi unesite ispravan neispravan greška adresa datum broj`),
    alphabet: "čćđšž",
    markers: /[ćđ]|lj|nj|dž|ije\b|ovi\b|anje\b/u,
  },
};

/** Cyrillic script. `alphabet`: the language's letters beyond the core а–я that all four share (no ё ы э ъ й щ ь ю я). */
const CYRILLIC: Evidence = {
  ru: {
    words: w(`или назад после перед во время всегда никогда ничего никто что-то кто-то хорошо плохо время раз
      понедельник вторник среда четверг пятница суббота воскресенье секунда секунды минута минуты градус
      градусов на в и в во не на что как я с со по это почему какая какой какие где для вы мы он она они к у о
      об от из за до при без над под через но а или если то так же бы ли был была было были быть есть нет да все
      всё этот эта эти тот та те мой моя мои твой ваш наш его её их себя свой ещё уже только очень больше новый
      новая сегодня вчера завтра год года день дня час часа неделя месяц пожалуйста спасибо пользователь пароль
      поле файл имя значение список страница поиск сохранить удалить изменить добавить выбрать введите
      правильный ошибка адрес дата номер`),
    alphabet: "ёыэъйщьюя",
    markers:
      /[ыэъё]|ого(?![\p{L}\p{M}])|ая(?![\p{L}\p{M}])|ие(?![\p{L}\p{M}])|ть(?![\p{L}\p{M}])|ся(?![\p{L}\p{M}])|ский(?![\p{L}\p{M}])/u,
  },
  uk: {
    words: w(`або тому після перед під час завжди ніколи нічого ніхто щось хтось добре погано час раз понеділок вівторок
      середа четвер пʼятниця субота неділя секунда секунди хвилина хвилини градус градусів і й в у не на що як я
      з із по це чому яка який які де для ви ми він вона вони та до від за при без над під через але або якщо то
      так же б чи був була було були бути є немає так всі все цей ця ці той та ті мій моя мої твій ваш наш його
      її їх себе свій ще вже тільки дуже більше новий нова сьогодні вчора завтра рік року день дня година
      тиждень місяць будь ласка дякую користувач пароль поле файл ім'я значення список сторінка пошук зберегти
      видалити змінити додати вибрати введіть правильний помилка адреса дата номер`),
    alphabet: "іїєґйщьюя'’",
    markers: /[іїєґ]|ння(?![\p{L}\p{M}])|ого(?![\p{L}\p{M}])|ський(?![\p{L}\p{M}])/u,
  },
  sr: {
    words: w(`и у на је су се да за од до из са с о по при код кроз без према као шта што ко где када зашто који која
      које како ли не није нису бити био била било има нема ја ти он она оно ми ви они ме те га му јој нас вас
      их мој моја моје твој наш ваш овај ова ово тај та то све сви сваки још већ само врло више нови нова ново
      данас јуче сутра година године дан дана сат сати недеља месец молим хвала корисник корисници лозинка поље
      датотека фајл име назив вредност списак листа страница тражи сачувај обриши измени промени додај уреди
      изабери унесите исправан неисправан грешка адреса датум број`),
    alphabet: "ђјљњћџ",
    markers: /[ђјљњћџ]/u,
  },
  ky: {
    words: w(`же мурун кийин ар дайым эч качан эч нерсе эч ким бир нерсе жакшы жаман убакыт жолу дүйшөмбү шейшемби
      шаршемби бейшемби жума ишемби жекшемби секунда мүнөт градус жана бул эмне кантип мен сен ал биз силер алар
      үчүн кайсы эң менен деп да бир ким кайда качан эмне үчүн бардык жок бар ооба жаңы бүгүн кечээ эртең жыл
      күн саат апта ай сураныч рахмат колдонуучу сырсөз талаа файл аты маани тизме барак издөө сактоо өчүрүү
      өзгөртүү кошуу тандоо киргизиңиз туура ката дарек дата номер болот болгон эле же анын мындай ошол`),
    alphabet: "ёңөүйщьюяыэъ",
    markers: /[ңөү]|уу|ыы|оо|ээ/u,
  },
};

/** Arabic script. `alphabet`: the letters that tell Arabic's orthography from Persian's. */
const ARABIC: Evidence = {
  ar: {
    words: w(`في من على إلى الى عن مع ما ماذا هي هو هم كيف لماذا متى أين اين هل أن ان إن هذا هذه ذلك تلك التي الذي الذين
      كان كانت يكون ليس لا نعم كل بعض أو او ثم لكن قد لقد أنا انا أنت نحن أنتم يمكن يجب جديد اليوم أمس غدا سنة
      يوم ساعة أسبوع شهر من فضلك شكرا المستخدم كلمة المرور حقل ملف اسم قيمة قائمة صفحة بحث حفظ حذف تغيير إضافة
      تعديل اختر أدخل صحيح خطأ عنوان تاريخ رقم`),
    markers: /[ةىأإؤئ]|(?:^|\s)ال|ون(?![\p{L}\p{M}])|ين(?![\p{L}\p{M}])/u,
    alphabet: "ةىكي",
  },
  fa: {
    words: w(`در از به که این آن را با است هست نیست چگونه چطور چرا کجا چه کی برای می من تو او ما شما آنها هم یا اما اگر
      تا بر روی یک هر همه برخی خیلی بیشتر جدید امروز دیروز فردا سال روز ساعت هفته ماه لطفا لطفاً متشکرم ممنون
      کاربر رمز عبور گذرواژه فیلد پرونده فایل نام مقدار فهرست لیست صفحه جستجو ذخیره حذف تغییر افزودن ویرایش
      انتخاب وارد کنید معتبر نامعتبر خطا نشانی آدرس تاریخ شماره شده کرد کردن کنید باشد بود`),
    markers: /[پچژگکی]|\u200c|ها(?![\p{L}\p{M}])|های(?![\p{L}\p{M}])/u,
    alphabet: "پچژگکی",
  },
};

/** Devanagari. Hindi and Nepali share every letter: words and endings decide. */
const DEVANAGARI: Evidence = {
  hi: {
    words: w(`पहले बाद दौरान हमेशा कभी कुछ नहीं कोई अच्छा बुरा समय बार सोमवार मंगलवार बुधवार गुरुवार शुक्रवार शनिवार
      रविवार सेकंड मिनट डिग्री प्रति अधिकतम न्यूनतम लंबाई सत्र सामग्री है हैं था थे थी का की के में से और को
      कैसे क्या क्यों कब कहाँ कहां कौन लिए आप मैं हम तुम वह वे यह ये नहीं हाँ करें करना करने कृपया पर भी तो ही
      या लेकिन अगर जो सब सभी कुछ बहुत अधिक नया नई आज कल साल दिन घंटा सप्ताह महीना धन्यवाद उपयोगकर्ता पासवर्ड
      फ़ील्ड फ़ाइल नाम मान सूची पृष्ठ खोजें सहेजें हटाएँ हटाएं बदलें जोड़ें संपादित चुनें दर्ज मान्य अमान्य
      त्रुटि पता तारीख संख्या गया गई हुआ होता होगा`),
    markers: /ें|ैं|़|ए(?![\p{L}\p{M}])|िए/u,
  },
  ne: {
    words: w(`अघि पछि सम्म बेला सधैं कहिल्यै केही छैन कोही राम्रो नराम्रो समय पटक सोमबार मङ्गलबार बुधबार बिहीबार
      शुक्रबार शनिबार आइतबार सेकेन्ड मिनेट डिग्री प्रति अधिकतम न्यूनतम लम्बाइ छ छैन हो होइन को का की मा र गर्न
      कसरी किन के कहिले कहाँ को लागि हुन्छ छन् तपाईं तपाईँ म हामी उनी उहाँ यो त्यो यी ती पनि कति भने तर वा यदि
      जुन सबै केही धेरै नयाँ आज हिजो भोलि वर्ष दिन घण्टा हप्ता महिना कृपया धन्यवाद प्रयोगकर्ता पासवर्ड क्षेत्र
      फाइल नाम मान सूची पृष्ठ खोज्नुहोस् सुरक्षित मेटाउनुहोस् परिवर्तन थप्नुहोस् सम्पादन छान्नुहोस् प्रविष्ट
      मान्य अमान्य त्रुटि ठेगाना मिति संख्या गरे गर्नुहोस् भयो थियो`),
    markers: /हरू|न्छ|बाट|सँग|नुहोस्|ेको(?![\p{L}\p{M}])/u,
  },
};

/** Evidence per script, for the scripts several of the 42 languages share (Serbian appears under two). */
export const EVIDENCE = { Latin: LATIN, Cyrillic: CYRILLIC, Arabic: ARABIC, Devanagari: DEVANAGARI } as const;
