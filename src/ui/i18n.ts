/**
 * User-visible texts in Bokmål (nb), Nynorsk (nn), English (en) and Northern Sami (se) — spec §5.4.
 * Placeholders are written `{name}` and filled by `t(locale, key, { name })`. The values are plain
 * text: escaping happens when they are interpolated into HTML.
 *
 * The Northern Sami texts are a best effort and should be reviewed by a native speaker.
 */

export type Locale = 'nb' | 'nn' | 'en' | 'se';

export const LOCALES: readonly Locale[] = ['nb', 'nn', 'en', 'se'] as const;

export const DEFAULT_LOCALE: Locale = 'nb';

/** Each language's name in that language (used by the language switcher). */
export const LANGUAGE_NAMES: Readonly<Record<Locale, string>> = {
  nb: 'Bokmål',
  nn: 'Nynorsk',
  en: 'English',
  se: 'Davvisámegiella',
};

type Texts = Readonly<Record<Locale, string>>;

export const MESSAGES = {
  // ---- chrome --------------------------------------------------------------------------------
  'app.name': { nb: 'Ansattporten', nn: 'Ansattporten', en: 'Ansattporten', se: 'Ansattporten' },
  'lang.label': { nb: 'Språk', nn: 'Språk', en: 'Language', se: 'Giella' },
  'footer.disclaimer': {
    nb: 'Uavhengig implementasjon av Ansattporten. Ikke tilknyttet eller godkjent av Digitaliseringsdirektoratet (Digdir).',
    nn: 'Uavhengig implementasjon av Ansattporten. Ikkje knytt til eller godkjend av Digitaliseringsdirektoratet (Digdir).',
    en: 'Independent implementation of Ansattporten. Not affiliated with or endorsed by the Norwegian Digitalisation Agency (Digdir).',
    se: 'Iešheanalis Ansattporten-implementašuvdna. Ii leat čadnon Digitaliserendirektoráhttii (Digdir), iige dat leat dohkkehan dan.',
  },
  'common.loginTo': {
    nb: 'Innlogging til {client}',
    nn: 'Innlogging til {client}',
    en: 'Log in to {client}',
    se: 'Sisačáliheapmi: {client}',
  },
  'common.cancel': { nb: 'Avbryt', nn: 'Avbryt', en: 'Cancel', se: 'Gaskkalduhte' },
  'common.continue': { nb: 'Fortsett', nn: 'Hald fram', en: 'Continue', se: 'Joatkke' },
  'common.returnToService': {
    nb: 'Tilbake til tjenesten',
    nn: 'Tilbake til tenesta',
    en: 'Return to the service',
    se: 'Máhcat bálvalussii',
  },

  // ---- error page ----------------------------------------------------------------------------
  'error.title': { nb: 'Noe gikk galt', nn: 'Noko gjekk gale', en: 'Something went wrong', se: 'Juoga manai boasttu' },
  'error.code': { nb: 'Feilkode: {code}', nn: 'Feilkode: {code}', en: 'Error code: {code}', se: 'Meattáhuskoda: {code}' },
  'error.noReturn': {
    nb: 'Gå tilbake til tjenesten du kom fra og prøv på nytt.',
    nn: 'Gå tilbake til tenesta du kom frå og prøv på nytt.',
    en: 'Go back to the service you came from and try again.',
    se: 'Mana ruovttoluotta bálvalussii gos bođiid ja geahččal ođđasit.',
  },

  // ---- eID selector --------------------------------------------------------------------------
  'eid.title': { nb: 'Velg elektronisk ID', nn: 'Vel elektronisk ID', en: 'Choose electronic ID', se: 'Vállje elektrovnnalaš ID' },
  'eid.intro': {
    nb: 'Velg hvordan du vil logge inn på {client}.',
    nn: 'Vel korleis du vil logge inn på {client}.',
    en: 'Choose how you want to log in to {client}.',
    se: 'Vállje movt háliidat čálihit sisa bálvalussii: {client}.',
  },
  'eid.legend': { nb: 'Elektronisk ID', nn: 'Elektronisk ID', en: 'Electronic ID', se: 'Elektrovnnalaš ID' },
  'eid.none': {
    nb: 'Ingen elektronisk ID er tilgjengelig for denne tjenesten.',
    nn: 'Ingen elektronisk ID er tilgjengeleg for denne tenesta.',
    en: 'No electronic ID is available for this service.',
    se: 'Ii oktage elektrovnnalaš ID leat olamuttus dán bálvalussii.',
  },

  // ---- TestID --------------------------------------------------------------------------------
  'testid.title': { nb: 'TestID', nn: 'TestID', en: 'TestID', se: 'TestID' },
  'testid.intro': {
    nb: 'TestID finnes bare i testmiljøet. Skriv inn et syntetisk fødselsnummer, eller velg en testperson.',
    nn: 'TestID finst berre i testmiljøet. Skriv inn eit syntetisk fødselsnummer, eller vel ein testperson.',
    en: 'TestID exists only in the test environment. Enter a synthetic national identity number, or choose a test person.',
    se: 'TestID gávdno dušše geahččalanbirrasis. Čális syntehtalaš riegádannummara, dahje vállje geahččalanolbmo.',
  },
  'testid.pidLabel': {
    nb: 'Fødselsnummer (11 siffer)',
    nn: 'Fødselsnummer (11 siffer)',
    en: 'National identity number (11 digits)',
    se: 'Riegádannummir (11 numera)',
  },
  'testid.pidHint': {
    nb: 'Syntetiske fødselsnumre har måned pluss 80, for eksempel 84 for april.',
    nn: 'Syntetiske fødselsnummer har månad pluss 80, til dømes 84 for april.',
    en: 'Synthetic numbers have the month plus 80, for example 84 for April.',
    se: 'Syntehtalaš nummariin lea mánnu lassin 80, ovdamearkka dihte 84 cuoŋománnui.',
  },
  'testid.acrLegend': { nb: 'Sikkerhetsnivå', nn: 'Tryggleiksnivå', en: 'Level of assurance', se: 'Sihkkarvuođadássi' },
  'testid.submit': { nb: 'Logg inn', nn: 'Logg inn', en: 'Log in', se: 'Čálit sisa' },
  'testid.personsHeading': { nb: 'Testpersoner', nn: 'Testpersonar', en: 'Test persons', se: 'Geahččalanolbmot' },
  'testid.personsIntro': {
    nb: 'Logg inn direkte som en av disse syntetiske personene.',
    nn: 'Logg inn direkte som ein av desse syntetiske personane.',
    en: 'Log in directly as one of these synthetic persons.',
    se: 'Čálit njuolgga sisa nugo okta dáin syntehtalaš olbmuin.',
  },
  'testid.loginAs': { nb: 'Logg inn som', nn: 'Logg inn som', en: 'Log in as', se: 'Čálit sisa nugo' },
  'testid.errorFormat': {
    nb: 'Fødselsnummeret må bestå av 11 siffer.',
    nn: 'Fødselsnummeret må ha 11 siffer.',
    en: 'The national identity number must consist of 11 digits.',
    se: 'Riegádannummiris galget leat 11 numera.',
  },
  'testid.errorInvalid': {
    nb: 'Fødselsnummeret er ikke gyldig.',
    nn: 'Fødselsnummeret er ikkje gyldig.',
    en: 'The national identity number is not valid.',
    se: 'Riegádannummir ii leat gustovaš.',
  },
  'testid.managerHeading': { nb: 'Tilfeldig daglig leder', nn: 'Tilfeldig dagleg leiar', en: 'Random general manager', se: 'Sáhkkehis beaivválaš jođiheaddji' },
  'testid.managerIntro': {
    nb: 'En syntetisk person som er daglig leder i en virksomhet med rettigheter tjenesten spør etter.',
    nn: 'Ein syntetisk person som er dagleg leiar i ei verksemd med rettar tenesta spør etter.',
    en: 'A synthetic person who is the general manager of an organisation with rights the service asks for.',
    se: 'Syntehtalaš olmmoš gii lea beaivválaš jođiheaddji organisašuvnnas mas leat vuoigatvuođat maid bálvalus jearrá.',
  },
  'testentra.title': { nb: 'Test Entra ID', nn: 'Test Entra ID', en: 'Test Entra ID', se: 'Test Entra ID' },
  'testentra.intro': {
    nb: 'En simulert Microsoft Entra ID for testing: logg inn med en syntetisk jobbkonto.',
    nn: 'Ein simulert Microsoft Entra ID for testing: logg inn med ein syntetisk jobbkonto.',
    en: 'A simulated Microsoft Entra ID for testing: log in with a synthetic work account.',
    se: 'Simulerejuvvon Microsoft Entra ID geahččaleapmái: čálit sisa syntehtalaš bargokontoin.',
  },
  'testentra.emailLabel': { nb: 'E-postadresse til jobbkontoen', nn: 'E-postadressa til jobbkontoen', en: 'E-mail address of the work account', se: 'Bargokontu e-poastačujuhus' },
  'testentra.emailHint': {
    nb: 'Skriv e-postadressen til en av jobbkontoene nedenfor.',
    nn: 'Skriv e-postadressa til ein av jobbkontoane nedanfor.',
    en: 'Type the e-mail address of one of the work accounts below.',
    se: 'Čále e-poastačujuhusa ovtta vuolábeale bargokontus.',
  },
  'testentra.accountsHeading': { nb: 'Jobbkontoer', nn: 'Jobbkontoar', en: 'Work accounts', se: 'Bargokontut' },
  'testentra.errorUnknown': {
    nb: 'Ingen jobbkonto har denne e-postadressen.',
    nn: 'Ingen jobbkonto har denne e-postadressa.',
    en: 'No work account has this e-mail address.',
    se: 'Ii oktage bargokonto leat dán e-poastačujuhusain.',
  },
  'acr.substantial': { nb: 'Betydelig', nn: 'Betydeleg', en: 'Substantial', se: 'Mearkkašahtti' },
  'acr.high': { nb: 'Høyt', nn: 'Høgt', en: 'High', se: 'Alla' },

  // ---- organisation picker -------------------------------------------------------------------
  'org.title': {
    nb: 'Hvem vil du representere?',
    nn: 'Kven vil du representere?',
    en: 'Who do you want to represent?',
    se: 'Geaid háliidat ovddastit?',
  },
  'org.intro': {
    nb: 'Du er logget inn som {person}. {client} trenger å vite hvilken virksomhet du handler på vegne av.',
    nn: 'Du er logga inn som {person}. {client} treng å vite kva verksemd du handlar på vegner av.',
    en: 'You are logged in as {person}. {client} needs to know which organisation you are acting on behalf of.',
    se: 'Don leat čálihan sisa nugo {person}. {client} dárbbaša diehtit man organisašuvnna ovddas don doaimmat.',
  },
  'org.legendSingle': {
    nb: 'Velg én virksomhet',
    nn: 'Vel éi verksemd',
    en: 'Choose one organisation',
    se: 'Vállje ovtta organisašuvnna',
  },
  'org.legendSingleSelf': {
    nb: 'Velg én virksomhet, eller deg selv',
    nn: 'Vel éi verksemd, eller deg sjølv',
    en: 'Choose one organisation, or yourself',
    se: 'Vállje ovtta organisašuvnna, dahje iežat',
  },
  'org.legendMultiple': {
    nb: 'Velg én eller flere virksomheter',
    nn: 'Vel éi eller fleire verksemder',
    en: 'Choose one or more organisations',
    se: 'Vállje ovtta dahje eanet organisašuvnnaid',
  },
  'org.self': { nb: 'Meg selv', nn: 'Meg sjølv', en: 'Myself', se: 'Mun ieš' },
  'org.selfHint': {
    nb: 'Ikke på vegne av en virksomhet',
    nn: 'Ikkje på vegner av ei verksemd',
    en: 'Not on behalf of an organisation',
    se: 'Ii organisašuvnna ovddas',
  },
  'org.selfButton': {
    nb: 'Fortsett som meg selv',
    nn: 'Hald fram som meg sjølv',
    en: 'Continue as myself',
    se: 'Joatkke iežan beales',
  },
  'org.selfSectionIntro': {
    nb: 'Du kan også fortsette uten å representere en virksomhet.',
    nn: 'Du kan òg halde fram utan å representere ei verksemd.',
    en: 'You can also continue without representing an organisation.',
    se: 'Sáhtát maid joatkit ovddasteahttá organisašuvnna.',
  },
  'org.orgno': { nb: 'Org.nr. {orgno}', nn: 'Org.nr. {orgno}', en: 'Org. no. {orgno}', se: 'Org.nr. {orgno}' },
  'org.deleted': { nb: 'Slettet', nn: 'Sletta', en: 'Deleted', se: 'Sihkkojuvvon' },
  'org.subunits': {
    nb: 'Underenheter av {name}',
    nn: 'Undereiningar av {name}',
    en: 'Sub-units of {name}',
    se: '{name}: vuolleovttadagat',
  },
  'org.notSelectable': {
    nb: 'Kan ikke velges',
    nn: 'Kan ikkje veljast',
    en: 'Cannot be selected',
    se: 'Ii sáhte válljejuvvot',
  },
  'org.searchLabel': {
    nb: 'Søk etter navn eller organisasjonsnummer',
    nn: 'Søk etter namn eller organisasjonsnummer',
    en: 'Search by name or organisation number',
    se: 'Oza nama dahje organisašuvdnanummira mielde',
  },
  'org.count': {
    nb: 'Viser {shown} av {total} virksomheter',
    nn: 'Viser {shown} av {total} verksemder',
    en: 'Showing {shown} of {total} organisations',
    se: 'Čájeha {shown}/{total} organisašuvnna',
  },
  'org.noMatch': {
    nb: 'Ingen virksomheter passer med søket.',
    nn: 'Ingen verksemder passar med søket.',
    en: 'No organisations match your search.',
    se: 'Ii oktage organisašuvdna heive ohcamii.',
  },
  'org.errorNoneSelected': {
    nb: 'Du må velge hvem du vil representere.',
    nn: 'Du må velje kven du vil representere.',
    en: 'You must choose whom to represent.',
    se: 'Don fertet válljet geaid ovddastat.',
  },

  // ---- no representation ---------------------------------------------------------------------
  'norep.title': {
    nb: 'Du mangler nødvendige rettigheter',
    nn: 'Du manglar naudsynte rettar',
    en: 'You lack the required rights',
    se: 'Dus váilot dárbbašlaš vuoigatvuođat',
  },
  'norep.message': {
    nb: 'Du har ikke rett til å representere noen virksomhet for {client}.',
    nn: 'Du har ikkje rett til å representere nokon verksemd for {client}.',
    en: 'You do not have the right to represent any organisation for {client}.',
    se: 'Dus ii leat vuoigatvuohta ovddastit makkárge organisašuvnna bálvalusas {client}.',
  },
  'norep.hint': {
    nb: 'Rettigheter gis i Altinn av noen med myndighet i virksomheten. Kontakt virksomheten din hvis du mener du skal ha tilgang.',
    nn: 'Rettar vert gjevne i Altinn av nokon med mynde i verksemda. Kontakt verksemda di dersom du meiner du skal ha tilgang.',
    en: 'Rights are granted in Altinn by someone with authority in the organisation. Contact your organisation if you believe you should have access.',
    se: 'Vuoigatvuođat addojuvvojit Altinnas olbmos geas lea fápmudus organisašuvnnas. Váldde oktavuođa iežat organisašuvnnain jus oaivvildat ahte dus galgá leat beassan.',
  },

  // ---- logout --------------------------------------------------------------------------------
  'loggedout.title': { nb: 'Du er logget ut', nn: 'Du er logga ut', en: 'You are logged out', se: 'Don leat čálihan olggos' },
  'loggedout.message': {
    nb: 'Du er logget ut av Ansattporten og tjenestene du var logget inn på. Lukk nettleseren hvis du bruker en delt datamaskin.',
    nn: 'Du er logga ut av Ansattporten og tenestene du var logga inn på. Lukk nettlesaren dersom du brukar ei delt datamaskin.',
    en: 'You are logged out of Ansattporten and the services you were logged in to. Close the browser if you are using a shared computer.',
    se: 'Don leat čálihan olggos Ansattportenis ja bálvalusain main ledjet sisačálihan. Gidde neahttalohkki jus geavahat oktasaš dihtora.',
  },
  'fcl.title': { nb: 'Logger ut', nn: 'Loggar ut', en: 'Logging out', se: 'Olggosčáliheapmi' },
  'fcl.message': {
    nb: 'Du logges ut av alle tjenestene du har brukt i denne økten.',
    nn: 'Du vert logga ut av alle tenestene du har brukt i denne økta.',
    en: 'You are being logged out of all services you used in this session.',
    se: 'Don čálihuvvot olggos buot bálvalusain maid leat geavahan dán áigodagas.',
  },
  'fcl.done': {
    nb: 'Utloggingen er fullført.',
    nn: 'Utlogginga er fullført.',
    en: 'Logout is complete.',
    se: 'Olggosčáliheapmi lea gárvvis.',
  },
  'fcl.frameTitle': {
    nb: 'Utlogging fra {host}',
    nn: 'Utlogging frå {host}',
    en: 'Logout from {host}',
    se: 'Olggosčáliheapmi: {host}',
  },
  'logoutconfirm.title': { nb: 'Vil du logge ut?', nn: 'Vil du logge ut?', en: 'Do you want to log out?', se: 'Háliidatgo čálihit olggos?' },
  'logoutconfirm.message': {
    nb: 'Du blir logget ut av Ansattporten og alle tjenestene du har logget inn på med Ansattporten i denne nettleseren.',
    nn: 'Du vert logga ut av Ansattporten og alle tenestene du har logga inn på med Ansattporten i denne nettlesaren.',
    en: 'You will be logged out of Ansattporten and every service you have logged in to with Ansattporten in this browser.',
    se: 'Don čálihuvvot olggos Ansattportenis ja buot bálvalusain maidda leat čálihan sisa Ansattporteniin dán neahttalohkkis.',
  },
  'logoutconfirm.yes': { nb: 'Ja, logg ut', nn: 'Ja, logg ut', en: 'Yes, log out', se: 'Juo, čálit olggos' },
  'logoutconfirm.no': { nb: 'Nei, forbli innlogget', nn: 'Nei, ver innlogga', en: 'No, stay logged in', se: 'Ii, báze sisačálihuvvon' },
  'logoutkept.title': { nb: 'Du er fortsatt logget inn', nn: 'Du er framleis logga inn', en: 'You are still logged in', se: 'Don leat ain sisačálihuvvon' },
  'logoutkept.message': {
    nb: 'Du ble ikke logget ut. Du kan lukke denne siden og fortsette å bruke tjenestene.',
    nn: 'Du vart ikkje logga ut. Du kan lukke denne sida og halde fram med å bruke tenestene.',
    en: 'You were not logged out. You can close this page and continue using the services.',
    se: 'Don it čálihuvvon olggos. Sáhtát giddet dán siiddu ja joatkit bálvalusaid geavaheami.',
  },

  // ---- form_post -----------------------------------------------------------------------------
  'formpost.title': { nb: 'Sender deg videre', nn: 'Sender deg vidare', en: 'Redirecting', se: 'Sáddejuvvo viidáset' },
  'formpost.noscript': {
    nb: 'JavaScript er slått av. Trykk på knappen for å fortsette.',
    nn: 'JavaScript er slått av. Trykk på knappen for å halde fram.',
    en: 'JavaScript is turned off. Press the button to continue.',
    se: 'JavaScript ii leat doaibmame. Deaddil boalu vai joatkkát.',
  },

  // ---- demo client ---------------------------------------------------------------------------
  'demo.title': { nb: 'Demoklient', nn: 'Demoklient', en: 'Demo client', se: 'Demoklienta' },
  'demo.intro': {
    nb: 'Denne siden er en enkel OpenID Connect-klient som logger inn mot denne Ansattporten-instansen. Velg parametere, start innloggingen og se tokenene som kommer tilbake.',
    nn: 'Denne sida er ein enkel OpenID Connect-klient som loggar inn mot denne Ansattporten-instansen. Vel parametrar, start innlogginga og sjå tokena som kjem tilbake.',
    en: 'This page is a simple OpenID Connect client that logs in to this Ansattporten instance. Choose parameters, start the login and inspect the tokens that come back.',
    se: 'Dát siidu lea álki OpenID Connect-klienta mii čálihit sisa dán Ansattporten-instánsii. Vállje parametera, álggat sisačáliheami ja geahča tokeniid mat bohtet ruovttoluotta.',
  },
  'demo.issuer': { nb: 'Utsteder (issuer)', nn: 'Utferdar (issuer)', en: 'Issuer', se: 'Almmuheaddji (issuer)' },
  'demo.clientId': { nb: 'Klient-ID', nn: 'Klient-ID', en: 'Client ID', se: 'Klienta-ID' },
  'demo.parameters': { nb: 'Parametere', nn: 'Parametrar', en: 'Parameters', se: 'Parametert' },
  'demo.scope': { nb: 'Scope', nn: 'Scope', en: 'Scope', se: 'Scope' },
  'demo.acr': {
    nb: 'Sikkerhetsnivå (acr_values)',
    nn: 'Tryggleiksnivå (acr_values)',
    en: 'Level of assurance (acr_values)',
    se: 'Sihkkarvuođadássi (acr_values)',
  },
  'demo.uiLocales': { nb: 'Språk (ui_locales)', nn: 'Språk (ui_locales)', en: 'Language (ui_locales)', se: 'Giella (ui_locales)' },
  'demo.prompt': { nb: 'Prompt (prompt)', nn: 'Prompt (prompt)', en: 'Prompt (prompt)', se: 'Prompt (prompt)' },
  'demo.responseMode': {
    nb: 'Svarmodus (response_mode)',
    nn: 'Svarmodus (response_mode)',
    en: 'Response mode (response_mode)',
    se: 'Vástádusvuohki (response_mode)',
  },
  'demo.notSet': { nb: '(ikke satt)', nn: '(ikkje sett)', en: '(not set)', se: '(ii biddjon)' },
  'demo.usePar': {
    nb: 'Bruk Pushed Authorization Request (PAR)',
    nn: 'Bruk Pushed Authorization Request (PAR)',
    en: 'Use Pushed Authorization Request (PAR)',
    se: 'Geavat Pushed Authorization Request (PAR)',
  },
  'demo.authzDetails': {
    nb: 'authorization_details (JSON, valgfritt)',
    nn: 'authorization_details (JSON, valfritt)',
    en: 'authorization_details (JSON, optional)',
    se: 'authorization_details (JSON, eaktodáhtolaš)',
  },
  'demo.authzHint': {
    nb: 'La feltet stå tomt for vanlig innlogging uten representasjon.',
    nn: 'La feltet stå tomt for vanleg innlogging utan representasjon.',
    en: 'Leave empty for a plain login without representation.',
    se: 'Guođe guorusin dábálaš sisačáliheapmái ovddasteami haga.',
  },
  'demo.examples': { nb: 'Eksempler', nn: 'Døme', en: 'Examples', se: 'Ovdamearkkat' },
  'demo.example.resource': { nb: 'Altinn-ressurs', nn: 'Altinn-ressurs', en: 'Altinn resource', se: 'Altinn-resursa' },
  'demo.example.multiple': {
    nb: 'Flere virksomheter',
    nn: 'Fleire verksemder',
    en: 'Several organisations',
    se: 'Máŋga organisašuvnna',
  },
  'demo.example.required': {
    nb: 'Representasjon påkrevd',
    nn: 'Representasjon påkravd',
    en: 'Representation required',
    se: 'Ovddasteapmi gáibiduvvo',
  },
  'demo.example.service': {
    nb: 'Altinn 2-tjeneste (eldre)',
    nn: 'Altinn 2-teneste (eldre)',
    en: 'Altinn 2 service (legacy)',
    se: 'Altinn 2-bálvalus (boares)',
  },
  'demo.example.orgno': { nb: 'Entra ID (orgno)', nn: 'Entra ID (orgno)', en: 'Entra ID (orgno)', se: 'Entra ID (orgno)' },
  'demo.example.none': { nb: 'Tøm feltet', nn: 'Tøm feltet', en: 'Clear', se: 'Sihko' },
  'demo.start': { nb: 'Start innlogging', nn: 'Start innlogging', en: 'Start login', se: 'Álggat sisačáliheami' },
  'demo.resultTitle': { nb: 'Innlogget', nn: 'Innlogga', en: 'Logged in', se: 'Sisačálihuvvon' },
  'demo.resultIntro': {
    nb: 'Innloggingen lyktes. Her er det klienten mottok, dekodet.',
    nn: 'Innlogginga lukkast. Her er det klienten tok imot, dekoda.',
    en: 'The login succeeded. This is what the client received, decoded.',
    se: 'Sisačáliheapmi lihkostuvai. Dá lea dat maid klienta oaččui, dekoderejuvvon.',
  },
  'demo.tokenResponse': { nb: 'Tokensvar', nn: 'Tokensvar', en: 'Token response', se: 'Tokenvástádus' },
  'demo.idTokenHeader': { nb: 'ID-token: header', nn: 'ID-token: header', en: 'ID token: header', se: 'ID-token: header' },
  'demo.idTokenClaims': { nb: 'ID-token: claims', nn: 'ID-token: claims', en: 'ID token: claims', se: 'ID-token: claims' },
  'demo.accessTokenClaims': {
    nb: 'Tilgangstoken: claims',
    nn: 'Tilgangstoken: claims',
    en: 'Access token: claims',
    se: 'Beassantoken: claims',
  },
  'demo.userinfo': { nb: 'Userinfo', nn: 'Userinfo', en: 'Userinfo', se: 'Userinfo' },
  'demo.loginAgain': { nb: 'Logg inn på nytt', nn: 'Logg inn på nytt', en: 'Log in again', se: 'Čálit sisa ođđasit' },
  'demo.logout': { nb: 'Logg ut', nn: 'Logg ut', en: 'Log out', se: 'Čálit olggos' },
} as const satisfies Record<string, Texts>;

export type MessageKey = keyof typeof MESSAGES;

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (LOCALES as readonly string[]).includes(v);
}

/** Look up `key` in `locale` and fill `{placeholders}` from `vars` (unknown placeholders stay as written). */
export function t(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const entry: Texts = MESSAGES[key];
  const text = entry[locale] ?? entry[DEFAULT_LOCALE];
  if (!vars) return text;
  return text.replace(/\{([a-zA-Z0-9_]+)\}/g, (m, name: string) =>
    Object.hasOwn(vars, name) ? String(vars[name]) : m,
  );
}

const ALIASES: Readonly<Record<string, Locale>> = {
  nb: 'nb',
  nob: 'nb',
  no: 'nb',
  nor: 'nb',
  nn: 'nn',
  nno: 'nn',
  en: 'en',
  eng: 'en',
  se: 'se',
  sme: 'se',
};

/**
 * The first supported locale among `candidates`, or 'nb'. Each candidate may be a single tag
 * (`en`, `nb-NO`), a space-separated `ui_locales` list (`nn en`) or an Accept-Language header
 * (`nn-NO,nn;q=0.9,en;q=0.8`); its entries are tried in the order written. Pass candidates in
 * priority order (spec §5.4: language cookie, then `ui_locales`, then the default).
 */
export function pickLocale(candidates: (string | undefined)[]): Locale {
  for (const candidate of candidates) {
    if (!candidate) continue;
    for (const part of candidate.split(/[\s,]+/)) {
      const tag = part.split(';')[0]?.trim().toLowerCase();
      if (!tag) continue;
      const primary = tag.split(/[-_]/)[0] ?? '';
      const hit = ALIASES[primary];
      if (hit) return hit;
    }
  }
  return DEFAULT_LOCALE;
}
