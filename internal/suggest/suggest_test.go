package suggest

import "testing"

func TestClosest(t *testing.T) {
	known := []string{"severity-threshold", "compliance-threshold", "nsa", "mitre"}
	for _, tc := range []struct{ in, want string }{
		{"severity-treshold", "severity-threshold"},
		{"NSA", "nsa"},
		{"mitr", "mitre"},
		{"kubernetes", ""},
	} {
		if got := Closest(tc.in, known); got != tc.want {
			t.Errorf("Closest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if d := Distance("Kitten", "sitting"); d != 3 {
		t.Errorf("Distance = %d, want 3", d)
	}
}
