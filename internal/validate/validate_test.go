package validate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func check(v validator.String, value string) string {
	resp := &validator.StringResponse{}
	v.ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: types.StringValue(value)}, resp)
	if !resp.Diagnostics.HasError() {
		return ""
	}
	d := resp.Diagnostics.Errors()[0]
	return d.Summary() + ": " + d.Detail()
}

func TestValidators(t *testing.T) {
	cases := []struct {
		name  string
		v     validator.String
		value string
		want  string // "" = valid; otherwise a substring of the error
	}{
		{"url ok", HTTPURL(), "https://api.entropy-data.com", ""},
		{"url without scheme", HTTPURL(), "api.entropy-data.com", "not an absolute http or https URL"},
		{"url ftp", HTTPURL(), "ftp://x", "not an absolute"},
		{"https ok", HTTPSURL(), "https://login.microsoftonline.com", ""},
		{"https plain http", HTTPSURL(), "http://login.microsoftonline.com", "not an absolute https URL"},
		{"https with tenant path", HTTPSURL(), "https://login.microsoftonline.com/contoso", "has a path"},
		{"duration ok", Duration(time.Second, time.Minute), "30s", ""},
		{"duration unitless", Duration(time.Second, time.Minute), "30", "not a duration"},
		{"duration too long", Duration(time.Second, time.Minute), "2m", "outside the allowed range"},
		{"guid ok", GUID("tenant_id"), "44c1f453-7899-4a89-8432-5523301e1e30", ""},
		{"guid braces", GUID("tenant_id"), "{44c1f453-7899-4a89-8432-5523301e1e30}", "is not a GUID"},
		{"guid name", GUID("client_id"), "contoso.onmicrosoft.com", "Invalid client_id"},
		{"id ok", ExternalID(), "finance-powerbi_1.2", ""},
		{"id slash", ExternalID(), "finance/powerbi", "may only contain"},
		{"id dots", ExternalID(), "a..b", `contains ".."`},
		{"id leading dash", ExternalID(), "-a", "must start with a letter or digit"},
		{"id long", ExternalID(), strings.Repeat("a", 129), "at most 128"},
		{"name ok", Name(), "Finance Power BI", ""},
		{"name blank", Name(), "   ", "must not be blank"},
		{"name padded", Name(), " Finance", "leading or trailing whitespace"},
		{"name control", Name(), "Fin\x07ance", "control character"},
		{"name of 255 characters", Name(), strings.Repeat("é", 255), ""},
		{"name long", Name(), strings.Repeat("é", 256), "at most 255"},
		{"id long and bad", ExternalID(), strings.Repeat("/", 129), "at most 128"},
		{"pattern ok", Pattern(), "Finance*", ""},
		{"pattern empty", Pattern(), "", "Invalid filter pattern"},
		{"cron ok", Cron(), "0 6,18 * * 1-5", ""},
		{"cron bad field", Cron(), "0 25 * * *", "hour"},
		{"cron too often", Cron(), "*/30 * * * *", "at most twice a day"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := check(tc.v, tc.value)
			switch {
			case tc.want == "" && got != "":
				t.Errorf("%q rejected: %s", tc.value, got)
			case tc.want != "" && !strings.Contains(got, tc.want):
				t.Errorf("%q: error %q, want it to contain %q", tc.value, got, tc.want)
			}
		})
	}
}

func TestNullAndUnknownAreLeftToOtherValidators(t *testing.T) {
	for _, v := range []types.String{types.StringNull(), types.StringUnknown()} {
		resp := &validator.StringResponse{}
		GUID("tenant_id").ValidateString(context.Background(), validator.StringRequest{Path: path.Root("x"), ConfigValue: v}, resp)
		if resp.Diagnostics.HasError() {
			t.Errorf("%v rejected", v)
		}
	}
}
