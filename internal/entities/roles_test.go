package entities

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRolesWikinews checks roles, coreference and country links on sentences
// taken from the Wikinews demo corpus (article index in the comment), where
// the extractor used to split a role so that its tail became the person, or
// linked a country the sentence does not give.
func TestRolesWikinews(t *testing.T) {
	x := testExtractor(t)
	per := func(text, can, role, country string) ent { return ent{text, Person, can, role, country} }
	org := func(text, can, country string) ent { return ent{text, Organisation, can, "", country} }
	tests := []struct {
		name, text string
		want       []ent
	}{
		// Multi-word roles with of/for/the: the office is part of the role.
		{"leader of the opposition (1266)",
			`The Leader of the Opposition Kim Beazley revealed in his question to the Treasurer that "some of his cabinet colleagues have privately said that they did not consider Mr Gerard was 'a good choice'".`,
			[]ent{per("Kim Beazley", "Kim Beazley", "Leader of the Opposition", ""), per("Gerard", "Gerard", "", "")}},
		{"speaker of the house (1320)",
			"Speaker of the House Dennis Hastert and House Minority Leader Nancy Pelosi jointly authored a resolution honoring his long tenure.",
			[]ent{per("Dennis Hastert", "Dennis Hastert", "Speaker of the House", ""), per("Nancy Pelosi", "Nancy Pelosi", "House Minority Leader", "")}},
		{"chancellor of the exchequer (2588)",
			"Chancellor of the Exchequer Gordon Brown has said that his first priority as Prime Minister would be to head anti-terrorism measures personally.",
			[]ent{per("Gordon Brown", "Gordon Brown", "Chancellor of the Exchequer", "")}},
		{"leader of the house after an organisation (983)",
			"In Federal Parliament Leader of the House Tony Abbott moved to adjourn debate at 9.",
			[]ent{org("Federal Parliament", "Federal Parliament", ""), per("Tony Abbott", "Tony Abbott", "Federal Parliament Leader of the House", "")}},
		{"high commissioner for refugees is an office (613)",
			"The United Nations High Commissioner for Refugees has criticised the governments of Rwanda and Burundi.",
			[]ent{org("United Nations", "United Nations", "")}},
		{"project director of the (1165)",
			"Dr Andrew Lynch, Project Director of the Terrorism and Law project at the Gilbert & Tobin Centre of Public Law, has said that Rhiannon has raised some valid issues.",
			[]ent{per("Andrew Lynch", "Andrew Lynch", "", "")}},
		{"no name after the office", "The Leader of the Opposition and the Speaker of the House met.", []ent{}},
		{"bare surname after an office links to the full name",
			"Kim Beazley spoke first. Later the Leader of the Opposition Beazley left.",
			[]ent{per("Kim Beazley", "Kim Beazley", "Leader of the Opposition", ""), per("Beazley", "Kim Beazley", "Leader of the Opposition", "")}},
		// Ranks: "Lieutenant General" is one rank, never a person.
		{"lieutenant general (1836)",
			"Eight soldiers were killed in the attack and Lieutenant General Sarath Fonseka was severely wounded.",
			[]ent{per("Sarath Fonseka", "Sarath Fonseka", "Lieutenant General", "")}},
		{"lieutenant general with a surname (814)",
			`Lieutenant General Watt said in a statement: "There will be no military requirement."`,
			[]ent{per("Watt", "Watt", "Lieutenant General", "")}},
		{"bare rank", "A Lieutenant General and a Lieutenant Governor arrived.", []ent{}},
		// Coreference: "Premier Iemma" is Morris Iemma when the article names him.
		{"premier and surname (1404)",
			"NSW Premier Morris Iemma spoke on Monday. Premier Iemma last week presented a new flag to the Brighton-le-Sands RSL Club.",
			[]ent{per("Morris Iemma", "Morris Iemma", "NSW Premier", ""), per("Iemma", "Morris Iemma", "Premier", ""), org("RSL Club", "RSL Club", "")}},
		// Countries: only when a possessive or demonym governs the role and
		// name, and never for a role in an international organisation.
		{"UN secretary-general is no country's (3933)",
			"The latest deaths come as former U.N. secretary-general Kofi Annan is in Kenya to try to broker a compromise.",
			[]ent{org("U.N.", "U.N.", ""), per("Kofi Annan", "Kofi Annan", "U.N. secretary-general", "")}},
		{"possessive across other words (3933)",
			"At least 45 people have been killed after Kenya's disputed December 27 presidential election. Kenya's Kofi Annan spoke.",
			[]ent{per("Kofi Annan", "Kofi Annan", "", "KE")}},
		{"director of a foundation (4382)",
			`According to William Ifante, Mongolia director of The Asia Foundation, "they were in no way widespread".`,
			[]ent{per("William Ifante", "William Ifante", "Mongolia director of The Asia Foundation", ""), org("Asia Foundation", "Asia Foundation", "")}},
		{"demonym before a place-named organisation (1011)",
			"The rules are strict, said Roger Wade, Texas Alcoholic Beverage Commission spokesman.",
			[]ent{per("Roger Wade", "Roger Wade", "Texas Alcoholic Beverage Commission spokesman", "US"), org("Texas Alcoholic Beverage Commission", "Texas Alcoholic Beverage Commission", "")}},
		{"ambassador to an international organisation (3475)",
			`"We are exerting efforts so that we don't fall into this trap," said Bashar Jaafari, Syria's Ambassador to the United Nations.`,
			[]ent{per("Bashar Jaafari", "Bashar Jaafari", "Ambassador to the United Nations", "SY"), org("United Nations", "United Nations", "")}},
		{"possessive role and comma (1802)",
			`A former US intelligence official claimed that Iran's president, Mahmoud Ahmadinejad, is referred to as "the new Adolf Hitler".`,
			[]ent{per("Mahmoud Ahmadinejad", "Mahmoud Ahmadinejad", "president", "IR"), per("Adolf Hitler", "Adolf Hitler", "", "")}},
		{"demonym before a lower-case role (1256)",
			"During his first U.S. visit, the newly appointed German foreign minister Frank-Walter Steinmeier failed to receive any clarification.",
			[]ent{per("Frank-Walter Steinmeier", "Frank-Walter Steinmeier", "foreign minister", "DE")}},
		{"city before a role (178)",
			"The court ruled more narrowly that San Francisco mayor Gavin Newsom overstepped his authority.",
			[]ent{per("Gavin Newsom", "Gavin Newsom", "mayor", "US")}},
		{"possessive and lower-case role before a rank (1841)",
			"Israel's intelligence chief Major General Amos Yadlin was quoted by the Haaretz newspaper.",
			[]ent{per("Amos Yadlin", "Amos Yadlin", "Major General", "IL")}},
		{"White House is no place (102)",
			"White House press secretary Scott McClellan, when questioned about this event, stated nothing.",
			[]ent{org("White House", "White House", ""), per("Scott McClellan", "Scott McClellan", "White House press secretary", "")}},
		{"honorific after the role (1117)",
			"The agreement was signed by the Minister for Foreign Affairs Mr. Dermot Ahern today.",
			[]ent{per("Dermot Ahern", "Dermot Ahern", "Minister for Foreign Affairs", "")}},
		// Roles are kept as written, trimmed of what a cut leaves at the end
		// (the corpus lost the linked organisation's name here).
		{"role cut short (1046)",
			`"The technology is more accessible to the general population," said Eric Zahren, spokesman for the. According to the report, more is needed.`,
			[]ent{per("Eric Zahren", "Eric Zahren", "spokesman", "")}},
		{"organisation before a lower-case role (3083)",
			"Secret Service spokesman Eric Zahren did not provide any extra details concerning the matter.",
			[]ent{org("Secret Service", "Secret Service", ""), per("Eric Zahren", "Eric Zahren", "Secret Service spokesman", "")}},
		{"place after the office (1672)",
			"Even Morris Iemma, premier of New South Wales, who visited the site has been warned he could be at risk.",
			[]ent{per("Morris Iemma", "Morris Iemma", "premier of New South Wales", "AU")}},
		{"chief executive is a role (2243)",
			`Judge Taylor wrote in her 43-page opinion that, "We must first note that the Office of the Chief Executive has itself been created."`,
			[]ent{per("Taylor", "Taylor", "Judge", ""), org("Office of the Chief Executive", "Office of the Chief Executive", "")}},
		{"place inside the office (2441)",
			"Jack Straw, Leader of the British House of Commons, has urged Muslim women not to wear the full veil.",
			[]ent{per("Jack Straw", "Jack Straw", "Leader of the British House of Commons", "GB")}},
		{"prime minister of the United Kingdom (1738)",
			"The Prime Minister of the United Kingdom Tony Blair addressed a special joint sitting.",
			[]ent{per("Tony Blair", "Tony Blair", "Prime Minister of the United Kingdom", "GB")}},
		// The brief's own examples.
		{"Turkey's foreign minister", "Turkey's Foreign Minister Hakan Fidan met his Iraqi counterpart.",
			[]ent{per("Hakan Fidan", "Hakan Fidan", "Foreign Minister", "TR")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := brief(x.Extract("", tt.text))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Extract(%q) mismatch (-want +got):\n%s", tt.text, diff)
			}
		})
	}
}
