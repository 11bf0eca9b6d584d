package entities

import "strings"

// The word lists below are the extractor's whole lexicon. They are constants
// (space-separated, lower case unless noted) turned into sets by New, so the
// package has no mutable globals.

// stopCaps are words that are capitalised only because they open a sentence,
// or that never start a name; they are stripped from the front of a chunk.
const stopCaps = `the a an and but or nor so yet however although though while when where whereas if as at by
for from in into on onto of off out over under up with within without after before during since until unlike
despite among amid between through throughout against also meanwhile moreover furthermore nevertheless thus
therefore instead still even only just then now today yesterday tomorrow tonight here there this that these those
it its he she they we you i me my our your his her their them us him who whom whose what which why how some many
most more much few several all both each every any no not none other another such one two three four five six
seven eight nine ten first second third last next according following including earlier later once because
although unless whether whatever whoever yes please let do does did is are was were be been has have had will
would can could should may might must shall speaking asked said says told reports reported officials police
local residents critics supporters analysts experts sources witnesses protesters protestors authorities troops
soldiers government governments many about above below around near under like per via well nearly almost
another anyone everyone someone nobody nothing something everything image photo picture video file credit`

// calendar words are never entities on their own (English month and day names
// and their abbreviations).
const calendar = `january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday saturday sunday
mon tue tues wed thu thur thurs fri sat sun`

// roleHeads end a title or role ("Prime Minister", "National Security Adviser").
const roleHeads = `president vice-president president-elect minister prime-minister secretary secretary-general
under-secretary adviser advisor senator sen general gen chancellor king queen prince princess pope governor gov
mayor chairman chairwoman chairperson director director-general ambassador spokesman spokeswoman spokesperson
commander commander-in-chief colonel col lieutenant lt captain capt sergeant sgt admiral marshal brigadier judge
representative rep congressman congresswoman sheikh shaikh ayatollah emir sultan premier speaker envoy commissioner
inspector detective constable bishop archbishop cardinal rabbi imam reverend coach ceo founder chief leader
attorney-general prosecutor superintendent mp dean professor chairman-elect governor-general lawmaker legislator
officer chancellor-elect crown-prince grand-ayatollah patriarch mufti cleric correspondent editor candidate nominee treasurer executive manager`

// honorifics precede a person's name and are dropped from it.
const honorifics = `mr mrs ms miss dr prof sir dame lord lady rev mx messrs madam mme mlle herr`

// orgHeads are the last word (or the word before "of") of an organisation name.
const orgHeads = `council councils ministry ministries department departments party parties army navy agency
agencies university universities college institute institution inc ltd corp corporation co llc plc bank banks
commission court courts parliament committee union unions association associations organisation organization
organisations organizations forces force police federation league company companies group groups authority
authorities office bureau service services board foundation fund trust society club government administration
assembly congress senate cabinet front movement alliance coalition network news times post gazette herald
journal tribune magazine press airlines airways motors industries holdings brigade brigades battalion regiment
corps guard guards command secretariat tribunal academy exchange broadcasting media studios records
laboratory laboratories labs systems technologies partners reserve fc junta caucus legislature cooperative
consortium conglomerate enterprises telegraph chronicle observer guardian daily weekly channel radio television
tv school schools hospital church mission directorate division unit brotherhood council-general commission-general
initiative watch nations org star sun`

// orgSuffixes mark companies when they close a chunk.
const orgSuffixes = `inc ltd corp llc plc co ag gmbh sa nv bv lp llp pty`

// nonEntityHeads close capitalised names that are neither people nor
// organisations (facilities, events, documents, periods).
const nonEntityHeads = `airport street st road avenue boulevard square bridge river lake mountain mountains mount
island islands hall stadium station tower building palace day days week month year years cup games olympics
championship championships award awards prize war act bill treaty agreement accord convention conference summit
festival expo exhibition challenge competition tournament series election elections program programme project
plan declaration law code index internet explorer strait gulf sea ocean valley desert canal park peninsula
province county district region state states city town village airbase base prison camp highway route line
age era revolution crisis cup open marathon prix museum gallery galleries collection collections center centre mosque temple cathedral shrine study
north south east west central`

// particles are lower-case words inside a person's name ("bin", "van", "de").
const particles = `al el bin ibn bint ben van von de da dos das do du del della der den di la le ter ten y abu`

// portfolio words may follow "Secretary of" or "Minister for" in a role.
const portfolio = `state defence defense foreign affairs interior health finance education justice homeland
security energy trade commerce agriculture labour labor transport transportation environment the and economy
economic treasury war culture information communications oil petroleum industry housing public works science
technology home social welfare tourism sport sports water resources planning development immigration veterans
human services urban internal external religious fisheries mines power electricity youth women national
intelligence commonwealth european international relations cooperation integration infrastructure communication
local government family children legal parliamentary reconstruction budget revenue climate change natural
land lands forestry food rural employment pensions media arts heritage digital business enterprise innovation
skills research police prisons constitutional navy army air force staff`

// knownOrgs are well-known organisations named without a head word, matched
// on the whole chunk (upper-case acronyms are matched case-sensitively).
const knownOrgs = `UN U.N. NATO EU E.U. FBI CIA IMF WHO UNESCO UNICEF UNHCR UNDP UNEP OPEC ASEAN BBC CNN NASA NSA
FIFA UEFA IOC WTO OECD ISIS ISIL IAEA ICC ICJ IRA PLO ANC AFP NHS KGB FSB EPA FDA CDC NYPD LAPD BJP PKK KDP PUK
NAACP ACLU MI5 MI6 Interpol Europol Hamas Hezbollah Hizbollah Taliban al-Qaeda al-Qaida Qaeda Reuters Google
Microsoft Facebook Twitter Amazon Yahoo Wikinews Wikipedia Wikimedia Greenpeace Amnesty Pentagon Fatah Nasdaq
Gazprom Toyota Boeing Airbus Intel IBM Apple Scientology Kremlin OSCE SCO APEC GCC Mossad Sony Samsung Nokia
Vodafone Shell Exxon ExxonMobil Chevron Walmart Sinopec Petrobras Volkswagen Renault Nissan Honda Unilever
Nestle Nestlé Pfizer Novartis Disney Netflix Uber Tesla YouTube Instagram WhatsApp Spotify Hyundai Siemens
Ryanair Lufthansa Qantas Emirates AP NPR PBS CBS NBC ABC Fox Xinhua Interfax Al-Jazeera Aljazeera Jazeera
SNSC CNN-IBN Hamas-led`

// intlOrgs are international organisations (case-sensitive): a role in one
// of them ("UN Secretary-General") links its holder to no country.
const intlOrgs = `UN U.N. NATO EU E.U. IMF WHO UNESCO UNICEF UNHCR UNDP UNEP OPEC ASEAN WTO OECD IAEA ICC ICJ Interpol
Europol OSCE APEC FIFA UEFA IOC`

// placeMods may stand between a place and a role ("Australian Federal
// treasurer") and are no places themselves.
const placeMods = `federal national state provincial regional municipal city shadow opposition`

// commonCaps are all-capital words that are not organisations.
const commonCaps = `I II III IV V VI VII VIII IX X XI XII TV AM PM OK CEO CFO GDP AIDS HIV DNA RNA ID UFO
USA US UK UAE DC USSR DPRK PRC ROK GMT UTC BC AD CD DVD PC IT AI SMS PDF HTML URL FAQ NB PS AKA
MP MPs MEP IQ EQ CO2 SARS COVID MERS GPS LED LCD FM AM PhD MBA ATM VAT VIP RIP ASAP`

func wordSet(lists ...string) map[string]bool {
	m := make(map[string]bool, 256)
	for _, l := range lists {
		for _, w := range strings.Fields(l) {
			m[w] = true
		}
	}
	return m
}

// notNameWords never occur in a person's name; a capitalised run holding one
// is not taken for a person without another cue.
const notNameWords = `national international federal royal democratic democrat democrats republican republicans
socialist socialists liberal liberals conservative conservatives social emergency environment environmental food
health information system systems standards affairs research nutrition deficiency disorders protected protection
intelligence enforcement management politics published archived people power new old great grand united global
world european american african asian islamic christian catholic jewish muslim civic public private general
special supreme high higher civil criminal economic financial security defence defense energy science technology
education human rights development justice labour labor trade commerce transport water oil gas nuclear space
air sea land digital online internet web mobile global modern ancient holy saint st free independent
association passion democracy freedom liberty unity progress reform renewal solidarity alliance`
