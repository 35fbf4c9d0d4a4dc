// Package validate holds the attribute validators shared by the provider's
// schemas, so that every bad input gets the same clear, attribute-level error
// at plan time no matter which resource it appears in.
package validate

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// stringFunc adapts a plain check function into a validator. The check
// returns "" when the value is fine, or the reason it is not.
type stringFunc struct {
	description string
	summary     string
	check       func(string) string
}

func (v stringFunc) Description(context.Context) string         { return v.description }
func (v stringFunc) MarkdownDescription(context.Context) string { return v.description }

func (v stringFunc) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if reason := v.check(req.ConfigValue.ValueString()); reason != "" {
		resp.Diagnostics.AddAttributeError(req.Path, v.summary, reason)
	}
}

// String builds a validator from a check function returning the reason a
// value is invalid, or "" when it is valid.
func String(description, summary string, check func(string) string) validator.String {
	return stringFunc{description: description, summary: summary, check: check}
}

// HTTPURL accepts absolute http(s) URLs.
func HTTPURL() validator.String {
	return String("must be an absolute http or https URL", "Invalid URL", func(s string) string {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return fmt.Sprintf("%q is not an absolute http or https URL, e.g. https://api.entropy-data.com", s)
		}
		return ""
	})
}

// HTTPSURL accepts absolute https URLs; Microsoft Entra ID authorities must be https.
func HTTPSURL() validator.String {
	return String("must be an absolute https URL", "Invalid URL", func(s string) string {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || u.Scheme != "https" {
			return fmt.Sprintf("%q is not an absolute https URL, e.g. https://login.microsoftonline.com", s)
		}
		if u.Path != "" && u.Path != "/" {
			return fmt.Sprintf("%q has a path; give only the scheme and host, e.g. https://login.microsoftonline.com "+
				"(the tenant id is added from the integration's credentials)", s)
		}
		return ""
	})
}

// Duration accepts Go durations ("30s", "2m") within [lo, hi].
func Duration(lo, hi time.Duration) validator.String {
	return String(fmt.Sprintf("must be a duration between %s and %s", lo, hi), "Invalid duration", func(s string) string {
		d, err := time.ParseDuration(s)
		if err != nil {
			return fmt.Sprintf("%q is not a duration; write a number with a unit, such as \"30s\" or \"2m\"", s)
		}
		if d < lo || d > hi {
			return fmt.Sprintf("%s is outside the allowed range %s to %s", d, lo, hi)
		}
		return ""
	})
}

// GUID accepts Microsoft Entra ID style GUIDs such as tenant and client ids.
func GUID(what string) validator.String {
	return String("must be a GUID", "Invalid "+what, func(s string) string {
		if !powerbi.IsGUID(s) {
			return fmt.Sprintf("%q is not a GUID. The %s has the form 00000000-0000-0000-0000-000000000000; "+
				"copy it from the app registration's Overview page in the Microsoft Entra admin center.", s, what)
		}
		return ""
	})
}
