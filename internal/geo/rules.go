package geo

import "strings"

// The word lists below are general English (and news-style) vocabulary written for the
// recognition rules; none is drawn from an evaluation corpus.

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[strings.ReplaceAll(strings.ToLower(w), "_", " ")] = true
	}
	return m
}

// commonWords are everyday English words, a few hundred of which are also the names of
// places somewhere. A one-word name that is also one of these is not taken when it opens
// a sentence or sits in a title-case line, and needs support otherwise.
var commonWords = wordSet(`
a about above across after again against ago ahead aid aim air all allow almost alone along already also
although always am among an and angel angels another any anything apple april are area arm army around art as
ask at august autumn away baby back bad bag ball band bank bar base basin bath bay be beach bear beat beauty
because bed been before began begin being bell below bend best better between beyond big bill bird bit black
blade blanket blue board boat body bold bond book born both bottom box boy branch brave bread break
bridge bright bring broad brook brother brown build burn bush business but buy by call calm came camp can
canal cap cape capital captain car card care carry case cash castle cat cause cave cedar centre center chance
change chapel charity cheap check chief child church circle city claim class clay clear cliff climb clock
close cloud club coal coast cold college come common cook cool copper core corner cost could council count
country county course court cove cover crane creek crest cross crown cut dale dam dance dark date day dead deal
dear death december deep deer delta desert did die do does dog dollar done door double dove down draw dream
drive drop dry during each eagle early earth east easy eat echo edge eight either else empire end energy enough
even evening ever every eye face fair faith fall falls family far farm fast father fear february feel fell
few field fifth fig fight fine fire first fish five flat flint floor flower fly follow food foot for force
forest fork fort forth forward four fox free friday friend from front fruit full fun game garden gate gave
general gift girl give glass glen go god gold golden good got grace grand grant great green ground group grove
grow guard gulf had hail half hall hand happy harbor harbour hard harmony harvest has have he head health hear
heart heaven held hell help her here hero hide high hill him his history hold hole holiday holly home honey
hope horn horse hospital hot hour house how however hub hull hunt hunter i ice if in inch independence industry
inn into iron is island it its january join joy july jump june just keep key kid kind king knight know lake land
lane large last late later laurel law lead leaf league learn least leave left less let level liberty life light
like lime line lion list little live lock long look lord lost lot love low luck lucky made magnet main major make
male mall man many map march mark market marsh mass may mayor me mean meet melody member mercy met middle might
mile mill mine miss mobile moment monday money month moon moor more morning most mother mount mountain mouth move
much must my nail name nation near need never new news next nice night nine no none noon normal north not note
nothing november now number oak ocean october of off office oil old on once one only open or orange order other
our out over own page palm park part pass past path peace pearl people per pine place plain plant play please
plenty plus point police pond pool poor port post power present president pretty price prince princess
progress promise prospect province pure put quarter queen quick quiet race rain ranch range rapid rapids rather
reach read reading ready real record red reform rest rich ridge right ring rise river road rock rose round royal
rule run rush safe said saint sale salt same sand saturday save saw say school sea seal season second see seven
shade shady shall she shell shelter ship shore short should show side sign silver since sir six sky slate small
smith snow so society some son soon sound south space spring square star start state station stay steel still
stone stop storm story strand street strong such sugar summer sun sunday sunny sunrise sunset supply sure surprise
swan sweet table tail take talk tea team temple ten than that the their them then there these they thing this
those three through thursday tide till time to today top tower town trade trail tree trinity trip truth try
tuesday turn twin two under union unity until up upon us use usual valley value very victory view village
vine vista wait wake walk wall want war warm was watch water way we wednesday well were west what when where
which while white who whole why wide will win wind window winter with within without wolf wood word work world
would yard year yes yet you young your youth zion
bath carmel cobalt eden energy enterprise fame felicity friendship golf hope industry
jasper joy liberal loyal marathon opportunity paradise ranger reform
splendora sterling success sunrise superior truth university unity welcome
commerce olympic chamber officer federal human justice rodeo drug arab toyota honda nissan
nice split chad man most along bar of mobile page reading gap venus mars sale deal split hawk fortune
vice media republic commonwealth kingdom federation
homeland simian carbon walnut tank van duma reserve parkway highway boulevard avenue turnpike
`)

// personNames are given names and surnames that are also names of countries, states or
// towns ("Jordan said", "Chad Smith", "Mr. Houston"). Such a name is not taken as a place
// when person context surrounds it.
var personNames = wordSet(`
jordan chad georgia israel paris lincoln washington jackson clinton madison jefferson franklin houston austin
dallas denver phoenix florence victoria charlotte savannah sydney beverly camden chester clayton dayton eugene
flint fulton garland grant hamilton harrison henry irving jasper kent lafayette lawrence logan marion milton
monroe morgan murray nelson orlando palmer raleigh regina shelby sherman stanley tyler vernon warren wayne
winston york aurora mesa laurel olive ruth adrian albert alexander alexandria ashley bradley brandon chelsea
cleveland columbus douglas elizabeth evans fletcher florida gordon hudson hunter kingston lewis lorraine mitchell
nancy norman oliver preston quincy ramsey russell scott sheldon spencer taylor trenton troy wallace walton
warwick wilson winchester bush carter obama trump biden putin kim lee ali hamid salman hussein
`)

// personTitles precede a person's name.
var personTitles = wordSet(`
mr mrs ms miss dr sir lord lady president sen senator rep representative gov governor mayor judge justice
officer sgt sergeant lt lieutenant capt captain col colonel gen general maj major cpl pvt adm admiral chief
coach pastor rev reverend father sister brother prof professor minister secretary king queen prince princess
saint st deputy commissioner chairman chairwoman director superintendent detective trooper attorney coach const constable
`)

// personVerbs follow a person (or an organisation) far more often than a place: a
// person-like name directly followed by one of them is read as a person.
var personVerbs = wordSet(`
said says told added asked explained noted stated wrote argued believes believed thinks thought wants wanted
scored passed shot played who whose
`)

// connectors may be lower case inside a capitalised name ("Isle of Man", "Rio de Janeiro").
var connectors = wordSet(`of the de la le du da del des on upon and am an der den y al el sur en au aux di do dos das van von in`)

// orgBefore are words that, directly before a place name (possibly with "of"), make it
// part of an organisation's name ("Bank of England", "University of Texas", "Real Madrid").
var orgBefore = wordSet(`bank university college institute museum real atletico athletic sporting fc inter dynamo olympique
united agence voice radio television racing corporation corp company association times act club`)

// orgAfter are words that, directly after a place name, make it part of an organisation's
// name ("New York Times", "Texas Instruments", "Manchester United").
var orgAfter = wordSet(`
times post journal herald tribune gazette chronicle examiner courier inquirer sentinel dispatch telegraph
airlines airways airport university college instruments fc united rangers cowboys yankees giants lakers
daily broadcasting entertainment laboratories cartel cup olympic olympics fresh produce farms foods eggs egg fried
`)

// featureAfter are words that, capitalised directly after a place name, make it the
// name of a street, building or feature ("Lebanon Road", "Franklin Elementary", "Auckland
// Zoo", "Salinas Valley").
var featureAfter = wordSet(`
street st road rd drive dr avenue ave boulevard blvd lane ln trail parkway pkwy pike
expressway freeway circle plaza square mall bridge station hall elementary zoo valley river creek lake park
colony
`)

// diseaseAfter are words that, directly after a place name, make it the name of a
// disease or its agent ("Marburg virus", "Reston ebolavirus", "Rift Valley fever").
var diseaseAfter = wordSet(`virus viruses ebolavirus fever strain disease`)

// stormWords before a capitalised word name a storm ("Hurricane Katrina"), not the
// town of Hurricane.
var stormWords = wordSet(`hurricane typhoon cyclone`)

// directionWords may precede a place name without making it a surname ("South Texas").
var directionWords = wordSet(`
north south east west northern southern eastern western central upper lower greater downtown new old metro
northeast northwest southeast southwest northeastern northwestern southeastern southwestern mid inner outer
rural suburban coastal
`)

// locatives directly before a name make it a place ("in Reading", "near Split").
var locatives = wordSet(`in at near from to into outside inside across around towards toward via through throughout`)

// usStates maps the postal codes and AP-style abbreviations of US states to their ISO
// 3166-2 suffix, for "Paris, Tex." and "Austin, TX" qualifiers.
var usStates = map[string]string{
	"al": "AL", "ala": "AL", "ak": "AK", "alaska": "AK", "az": "AZ", "ariz": "AZ", "ar": "AR", "ark": "AR",
	"ca": "CA", "calif": "CA", "cal": "CA", "co": "CO", "colo": "CO", "ct": "CT", "conn": "CT", "de": "DE",
	"del": "DE", "dc": "DC", "fl": "FL", "fla": "FL", "ga": "GA", "hi": "HI", "id": "ID", "ida": "ID", "il": "IL",
	"ill": "IL", "in": "IN", "ind": "IN", "ia": "IA", "ks": "KS", "kan": "KS", "kans": "KS", "ky": "KY",
	"la": "LA", "me": "ME", "md": "MD", "ma": "MA", "mass": "MA", "mi": "MI", "mich": "MI", "mn": "MN",
	"minn": "MN", "ms": "MS", "miss": "MS", "mo": "MO", "mt": "MT", "mont": "MT", "ne": "NE", "neb": "NE",
	"nebr": "NE", "nv": "NV", "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC", "nd": "ND",
	"oh": "OH", "ok": "OK", "okla": "OK", "or": "OR", "ore": "OR", "oreg": "OR", "pa": "PA", "penn": "PA",
	"ri": "RI", "sc": "SC", "sd": "SD", "tn": "TN", "tenn": "TN", "tx": "TX", "tex": "TX", "ut": "UT", "vt": "VT",
	"va": "VA", "wa": "WA", "wash": "WA", "wv": "WV", "wva": "WV", "wi": "WI", "wis": "WI", "wisc": "WI",
	"wy": "WY", "wyo": "WY",
}

// postalOnly are state codes that are also everyday words; they count as qualifiers only in
// upper case ("Portland, OR", not "Portland, or").
var abbrevWords = wordSet(`mr mrs ms dr st ste mt ft gen sen sens rep reps gov lt col capt sgt const jr sr inc co corp ltd vs no
jan feb mar apr jun jul aug sep sept oct nov dec
ala ariz ark calif colo conn del fla ga ida ill ind kan kans ky la md mass mich minn miss mo mont neb nebr nev okla ore
oreg pa penn tenn tex va wash wis wisc wyo`)

func isAbbrev(w string) bool {
	if strings.ContainsRune(w, '.') {
		return true
	}
	return abbrevWords[strings.ToLower(w)]
}

// calendarWords are months and weekdays, never places when alone.
var calendarWords = wordSet(`january february march april may june july august september october november december
monday tuesday wednesday thursday friday saturday sunday jan feb mar apr jun jul aug sep sept oct nov dec`)

// isContraction reports a word such as "I've", "we're", "don't".
func isContraction(w string) bool {
	for _, suf := range []string{"'ve", "'re", "'ll", "'d", "'t", "'m", "\u2019ve", "\u2019re", "\u2019ll", "\u2019d", "\u2019t", "\u2019m"} {
		if strings.HasSuffix(w, suf) {
			return true
		}
	}
	return false
}

// givenNames are common English given names; many are also (alternate) names of small
// places or parishes.
var givenNames = wordSet(`
aaron adam alan albert alex alice allen amanda amy andrew angela ann anna anne anthony arthur barbara betty beverly
bill billy bob bobby brenda brian bruce carl carol caroline catherine charles charlie cheryl chris christina
christine christopher cindy craig cynthia dale dan daniel danny david dean debbie deborah debra dennis diana diane
donald donna doris dorothy doug douglas edward elaine elizabeth ellen emily emma eric ethel eugene evelyn frank fred
gary george gerald gloria grace greg gregory harold harry heather helen howard jack jacob james jamie jane janet
jason jean jeff jeffrey jennifer jeremy jerry jesse jessica jim jimmy joan joe john johnny jon jonathan jose joseph
joshua joyce juan judith judy julia julie justin karen kathleen kathy keith kelly ken kenneth kevin kim kimberly
kristina kristin larry laura lawrence leslie linda lisa lori louis louise margaret maria marie marilyn mark martha
martin mary matt matthew melissa michael michelle mike nancy nathan nicholas nicole norma pamela pat patricia patrick
paul peter phillip philip rachel ralph randy ray raymond rebecca richard rick robert roger ronald rose roy russell
ruth ryan sam samuel sandra sara sarah scott sean sharon shirley stephanie stephen steve steven susan teresa terry
thomas tim timothy todd tom tony tracy victor vincent virginia walter wanda wayne william willie
adrian alexander alicia allison amber andrea april ben benjamin bradley brandon brett brittany bryan caleb carlos
cody colin connor courtney crystal dana derek devin dustin dylan erica erin ethan evan gabriel hannah heidi ian
isaac jake jared jenna jill josh kyle lauren luke megan melanie monica natalie neil noah olivia peyton ricky
sophia spencer tara tiffany travis vanessa zachary
barry ben blair nelson nadia hailey haley ron sue maya rosa manuel miguel luis pedro antonio francisco marco mario pierre dominique
hassan fatima ahmed omar mohammed muhammad abdul ivan igor sergei olga
`)

// surnames are common English-language surnames that also name counties or towns.
var surnames = wordSet(`
adams allen anderson bailey baker barnes bell bennett brooks brown bryant butler campbell carter clark clarke cole
coleman collins cook cooper cox crawford davis dodge edwards evans fisher ford foster gibson gonzalez graham gray
green griffin hall harding harman harris hayes henderson hill howard hughes hunt jenkins johnson jones kelly kennedy
king knox lee lewis long marshall martin mason mcdonald miller mitchell moore morgan morris murphy myers nelson
parker patterson perry peterson phillips powell price reed reynolds richardson ripley roberts robinson rogers ross
russell sanders scott simmons smith stewart sullivan taylor thomas thompson turner walker ward warren watson webb
white wilkinson williams wilson wood wright young dyer robinson hardeman dick clay polk grant lincoln manning webster
`)

// notPlaces are names of buildings and streets that stand for institutions.
var notPlaces = wordSet(`white_house wall_street downing_street capitol_hill xinhua`)

// orgWords follow a place name in the name of a local office or its holder ("Fargo City
// Commissioner", "Litchfield Fire Chief", "Monroe Mayor"): after "said" or "according
// to", a minor place followed by any other capitalised word is a person's name ("said
// Whitney Lemons").
var orgWords = wordSet(`
city county town township village borough parish state police fire sheriff sheriffs mayor council commission
commissioner department dept school schools district board health hospital medical public community regional
university college court courthouse jail chamber news daily times office officials authority airport army
national general area emergency water electric planning housing transit library museum church center centre
memorial high middle elementary unified detention attorney prosecutor deputy chief manager administrator
superintendent spokesman spokeswoman officer officers association highway patrol government metropolitan election
elections library`)

// divisionWords, capitalised after a name, belong to it: "Nyanza Province", "Akita
// Prefecture".
var divisionWords = wordSet(`province prefecture governorate oblast`)

// saidWords before a name introduce its speaker.
var saidWords = wordSet(`said says told added asked`)
