package cluster

import (
	"fmt"
	"testing"
	"time"
)

// TestRollingStoryStaysOne: a story that keeps going for a week (floods,
// reported every few hours by outlets that quote different officials each
// day) stays one story: the split check must not part its early and late
// reports, however different the names of the day.
func TestRollingStoryStaysOne(t *testing.T) {
	core := []string{
		"Floods in the Valencia region of eastern Spain have killed dozens of people after torrential rain swept through towns overnight.",
		"Rescue teams in Valencia are still searching for people missing since the flash floods hit the region.",
		"The Spanish government declared three days of national mourning for the victims of the Valencia floods.",
		"Roads and railway lines around Valencia remain closed and thousands of homes are without power after the floods.",
		"Prime Minister Pedro Sánchez visited the flooded towns near Valencia and promised help for the families who lost their homes.",
		"Meteorologists said the storm that caused the Valencia floods dropped a year's worth of rain in eight hours.",
	}
	days := [][]string{
		{"Mayor Maria José Catalá said Paiporta was the worst hit town.", "Civil Guard officers rescued 200 people from rooftops in Chiva."},
		{"Interior Minister Fernando Grande-Marlaska sent 1,000 soldiers of the UME emergency unit.", "In Alfafar, volunteers cleared mud from the streets."},
		{"Regional president Carlos Mazón faced questions about the late alert sent to phones.", "The AEMET agency had issued a red warning on Tuesday morning."},
		{"King Felipe VI and Queen Letizia were heckled by residents in Paiporta.", "Thousands of volunteers crossed the Pista de Silla bridge with brooms."},
		{"The European Commission offered money from the EU Solidarity Fund.", "Insurers said claims could reach 3,500 million euros, according to the Consorcio de Compensación de Seguros."},
		{"Protesters in Valencia demanded the resignation of Carlos Mazón.", "Schools in Catarroja and Massanassa stayed closed for another week."},
	}
	e := New(Options{})
	start := time.Date(2024, 10, 30, 6, 0, 0, 0, time.UTC)
	stories := map[string]int{}
	var moved int
	n := 0
	for d, extra := range days {
		for k := range 5 {
			text := core[(d+k)%len(core)] + " " + extra[k%2] + " " + core[(d+k+2)%len(core)] + " " + extra[(k+1)%2]
			a := e.Add(Doc{ID: fmt.Sprintf("d%dr%d", d, k), Title: "Valencia floods: death toll rises", Text: text,
				Source: fmt.Sprintf("outlet %d", k), Published: start.Add(time.Duration(d*24+k*4) * time.Hour)})
			moved += len(a.Moved)
			n++
		}
	}
	for i := range n {
		stories[e.StoryOf(fmt.Sprintf("d%dr%d", i/5, i%5), "")]++
	}
	if moved > 0 || len(stories) != 1 {
		t.Errorf("%d reports over %d days in %d stories (%v), %d moved by splits; want one story", n, len(days), len(stories), stories, moved)
	}
}
