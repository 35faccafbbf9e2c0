package kernels

import (
	"errors"
	"slices"
	"testing"
)

func TestSetTier(t *testing.T) {
	def := CurrentTier()
	defer SetTier(def)
	tiers := Tiers()
	if tiers[0] != TierGeneric || !slices.Contains(tiers, def) {
		t.Fatalf("Tiers() = %v, current %v", tiers, def)
	}
	for _, tier := range tiers {
		if err := SetTier(tier); err != nil || CurrentTier() != tier {
			t.Fatalf("SetTier(%v) = %v, current %v", tier, err, CurrentTier())
		}
	}
	for _, tier := range []Tier{TierGeneric, TierAVX2, TierAVX512, TierNEON, Tier(99)} {
		if slices.Contains(tiers, tier) {
			continue
		}
		err := SetTier(tier)
		var te *TierUnavailableError
		if !errors.As(err, &te) || te.Tier != tier {
			t.Fatalf("SetTier(%v) = %v, want *TierUnavailableError", tier, err)
		}
		if CurrentTier() != tiers[len(tiers)-1] {
			t.Fatalf("failed SetTier changed the tier to %v", CurrentTier())
		}
	}
}
