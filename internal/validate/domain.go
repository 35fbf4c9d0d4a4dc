package validate

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/schedule"
)

var externalIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)

// ExternalID accepts ids that are safe as a single URL path segment, which is
// how the Entropy Data API addresses objects. The framework's validator checks
// the length; the pattern stays ours, as its message names the value and why
// (stringvalidator.RegexMatches would neither quote the value nor keep the
// "Invalid id" summary).
func ExternalID() validator.String {
	return stringvalidator.All(stringvalidator.LengthAtMost(128), String(
		"letters, digits, '.', '_' and '-', starting with a letter or digit",
		"Invalid id", func(s string) string {
			switch {
			case s == "":
				return "The id must not be empty."
			case strings.Contains(s, ".."):
				return fmt.Sprintf("%q contains \"..\", which the API does not accept in ids.", s)
			case !externalIDPattern.MatchString(s):
				return fmt.Sprintf("%q may only contain letters, digits, '.', '_' and '-', and must start with a "+
					"letter or digit (the id is used as a URL path segment).", s)
			}
			return ""
		}))
}

// Name accepts display names: not blank, no surrounding or control whitespace,
// at most 255 characters (the framework's validator counts them).
func Name() validator.String {
	return stringvalidator.All(stringvalidator.UTF8LengthAtMost(255), String("a non-blank name", "Invalid name", func(s string) string {
		switch {
		case strings.TrimSpace(s) == "":
			return "The name must not be blank."
		case strings.TrimSpace(s) != s:
			return fmt.Sprintf("%q has leading or trailing whitespace.", s)
		case strings.IndexFunc(s, unicode.IsControl) >= 0:
			return fmt.Sprintf("%q contains a control character.", s)
		}
		return ""
	}))
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
