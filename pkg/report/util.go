package report

import (
	"fmt"
	"strconv"
)

func formatPct(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) + "%" }

func formatCount(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
