package validate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
)

var externalIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ExternalID accepts ids that are safe as a single URL path segment, which is
// how the Entropy Data API addresses objects.
func ExternalID() validator.String {
	return String("letters, digits, '.', '_' and '-', starting with a letter or digit, at most 128 characters",
		"Invalid id", func(s string) string {
			switch {
			case s == "":
				return "The id must not be empty."
			case len(s) > 128:
				return fmt.Sprintf("The id is %d characters long; at most 128 are allowed.", len(s))
			case strings.Contains(s, ".."):
				return fmt.Sprintf("%q contains \"..\", which the API does not accept in ids.", s)
			case !externalIDPattern.MatchString(s):
				return fmt.Sprintf("%q may only contain letters, digits, '.', '_' and '-', and must start with a "+
					"letter or digit (the id is used as a URL path segment).", s)
			}
			return ""
		})
}

// Name accepts display names: not blank, no surrounding or control whitespace.
func Name() validator.String {
	return String("a non-blank name of at most 255 characters", "Invalid name", func(s string) string {
		switch {
		case strings.TrimSpace(s) == "":
			return "The name must not be blank."
		case strings.TrimSpace(s) != s:
			return fmt.Sprintf("%q has leading or trailing whitespace.", s)
		case len([]rune(s)) > 255:
			return "The name is longer than 255 characters."
		case strings.IndexFunc(s, unicode.IsControl) >= 0:
			return fmt.Sprintf("%q contains a control character.", s)
		}
		return ""
	})
}

// Pattern accepts Power BI filter patterns, with the same rules the matcher uses.
func Pattern() validator.String {
	return String("a name pattern where * is the only wildcard, or a GUID", "Invalid filter pattern", func(s string) string {
		if err := powerbi.ValidatePattern(s); err != nil {
			return err.Error()
		}
		return ""
	})
}

// Cron accepts 5-field cron expressions that Entropy Data can run: at most
// twice a day, expressible as a Quartz schedule.
func Cron() validator.String {
	return String("a 5-field cron expression in UTC that runs at most twice a day", "Invalid schedule", func(s string) string {
		sch, err := schedule.ParseCron(s)
		if err != nil {
			return err.Error()
		}
		if err := sch.CheckFrequency(); err != nil {
			return err.Error()
		}
		return ""
	})
}
