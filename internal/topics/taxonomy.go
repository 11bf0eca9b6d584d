// Package topics owns Vantage's topic taxonomy (stable slugs mapped to IPTC
// Media Topics) and the classifier that scores every article against it.
package topics

// Slug is one entry of the topic taxonomy.
type Slug struct {
	Slug       string   // stable identifier used in the API and storage
	IPTC       string   // primary IPTC Media Topics qcode ("" for derived labels)
	AlsoIPTC   []string // further IPTC qcodes the slug covers, if any
	Name       string   // human-readable name
	Parent     string   // parent slug, "" for top-level slugs
	Definition string   // what the slug covers
}

// GeneralNews is the slug of the derived "hard news" label; see generalNewsScore.
const GeneralNews = "general-news"

// taxonomy is the fixed list behind Taxonomy. Level-1 definitions follow IPTC's.
var taxonomy = []Slug{
	{Slug: "arts-culture-entertainment", IPTC: "medtop:01000000", Name: "arts, culture, entertainment and media",
		Definition: "All forms of arts, entertainment, cultural heritage and media."},
	{Slug: "crime-law-justice", IPTC: "medtop:02000000", Name: "crime, law and justice",
		Definition: "Rules of behaviour in society, their enforcement, breaches, punishment of offenders and the bodies involved."},
	{Slug: "disaster-accident", IPTC: "medtop:03000000", Name: "disaster, accident and emergency incident",
		Definition: "Man-made or natural events resulting in loss of life or injury, or damage to property."},
	{Slug: "economy-business-finance", IPTC: "medtop:04000000", Name: "economy, business and finance",
		Definition: "The planning, production and exchange of wealth: economy, companies, markets."},
	{Slug: "education", IPTC: "medtop:05000000", Name: "education",
		Definition: "All aspects of furthering knowledge, formally or informally."},
	{Slug: "environment", IPTC: "medtop:06000000", Name: "environment",
		Definition: "The protection, damage and condition of the ecosystem of the planet Earth."},
	{Slug: "health", IPTC: "medtop:07000000", Name: "health",
		Definition: "All aspects of physical and mental well-being."},
	{Slug: "human-interest", IPTC: "medtop:08000000", Name: "human interest",
		Definition: "Individuals, groups, animals or objects in an emotional way: celebrities, awards, oddities."},
	{Slug: "labour", IPTC: "medtop:09000000", Name: "labour",
		Definition: "Employment, unions, wages, strikes and the conditions of work."},
	{Slug: "lifestyle-leisure", IPTC: "medtop:10000000", Name: "lifestyle and leisure",
		Definition: "Activities undertaken for pleasure outside paid work: food, travel, fashion, home, hobbies."},
	{Slug: "politics", IPTC: "medtop:11000000", Name: "politics and government",
		Definition: "Local, regional, national and international exercise of power, including government and international relations."},
	{Slug: "religion", IPTC: "medtop:12000000", Name: "religion",
		Definition: "Belief systems, institutions and people who provide moral guidance to followers."},
	{Slug: "science-technology", IPTC: "medtop:13000000", Name: "science and technology",
		Definition: "Understanding of the natural world and the application of that knowledge, including computing and the internet."},
	{Slug: "society", IPTC: "medtop:14000000", Name: "society",
		Definition: "Concerns, issues and institutions of human social interaction: communities, family, rights, discrimination."},
	{Slug: "sport", IPTC: "medtop:15000000", Name: "sport",
		Definition: "Competitive physical or mental activity, sports events, athletes, clubs and transfers."},
	{Slug: "conflict-war-peace", IPTC: "medtop:16000000", Name: "conflict, war and peace",
		Definition: "Politically motivated protest or violence, military activity, terrorism, and peace efforts."},
	{Slug: "weather", IPTC: "medtop:17000000", Name: "weather",
		Definition: "The study, prediction and reporting of meteorological phenomena."},

	{Slug: "policy-and-legislation", IPTC: "medtop:20000621",
		AlsoIPTC: []string{"medtop:20000121", "medtop:20000615", "medtop:20000641"},
		Name:     "policy and legislation", Parent: "politics",
		Definition: "Government policy (medtop:20000621), laws and regulation (law, medtop:20000121), the work of " +
			"legislatures (medtop:20000615), and treaties and agreements between states (medtop:20000641)."},
	{Slug: "elections", IPTC: "medtop:20000574", Name: "elections", Parent: "politics",
		Definition: "Selection of representatives by vote: campaigns, candidates, polls, referendums, results."},
	{Slug: "diplomacy", IPTC: "medtop:20000638", Name: "international relations", Parent: "politics",
		Definition: "Relations between nations through negotiation, treaty or diplomacy: summits, envoys, sanctions."},

	{Slug: GeneralNews, Name: "general news",
		Definition: "Derived label: hard news of broad public interest (politics, conflict, disaster, crime, " +
			"economy, health emergencies, diplomacy, elections, policy); computed from the other scores."},
}

// Taxonomy returns the taxonomy: the 17 IPTC level-1 slugs, the level-2
// slugs and the derived general-news label. The result is a fresh copy.
func Taxonomy() []Slug {
	out := make([]Slug, len(taxonomy))
	for i, s := range taxonomy {
		s.AlsoIPTC = append([]string(nil), s.AlsoIPTC...)
		out[i] = s
	}
	return out
}

// iptcOf returns the primary IPTC code of a slug.
func iptcOf(slug string) string {
	for _, s := range taxonomy {
		if s.Slug == slug {
			return s.IPTC
		}
	}
	return ""
}
