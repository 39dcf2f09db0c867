package fix

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Prompt returns a Confirm that shows each fix's diff on out and reads
// y(es), n(o), a(ll) or q(uit) from in. The end of input quits.
func Prompt(in io.Reader, out io.Writer) func(f *Fix, diff string) (Decision, error) {
	r := bufio.NewReader(in)
	return func(f *Fix, diff string) (Decision, error) {
		fmt.Fprintf(out, "\n%s %s  [%s]\n%s", printable(f.Object), printable(f.describe()), printable(strings.Join(f.Controls, ",")), diff)
		for {
			fmt.Fprint(out, "Apply this fix? [y]es, [n]o, [a]ll remaining, [q]uit: ")
			line, err := r.ReadString('\n')
			switch strings.ToLower(strings.TrimSpace(line)) {
			case "y", "yes":
				return Yes, nil
			case "n", "no":
				return No, nil
			case "a", "all":
				return All, nil
			case "q", "quit":
				return Quit, nil
			}
			if errors.Is(err, io.EOF) {
				fmt.Fprintln(out)
				return Quit, nil
			}
			if err != nil {
				return Quit, fmt.Errorf("read the answer: %w", err)
			}
		}
	}
}
