package provider

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox"
	"github.com/entropy-data/terraform-provider-entropydata/internal/sandbox/tenant"
)

// wantClouds are the values Microsoft documents for Power BI in each cloud
// (see the comment on powerbi.clouds), written out here again so a typo in
// the table fails a test.
var wantClouds = map[string]struct{ authority, endpoint, scope string }{
	"public": {"https://login.microsoftonline.com", "https://api.powerbi.com/v1.0/myorg",
		"https://analysis.windows.net/powerbi/api/.default"},
	"usgov": {"https://login.microsoftonline.com", "https://api.powerbigov.us/v1.0/myorg",
		"https://analysis.usgovcloudapi.net/powerbi/api/.default"},
	"usgovhigh": {"https://login.microsoftonline.us", "https://api.high.powerbigov.us/v1.0/myorg",
		"https://high.analysis.usgovcloudapi.net/powerbi/api/.default"},
	"usdod": {"https://login.microsoftonline.us", "https://api.mil.powerbigov.us/v1.0/myorg",
		"https://mil.analysis.usgovcloudapi.net/powerbi/api/.default"},
	"china": {"https://login.chinacloudapi.cn", "https://api.powerbi.cn/v1.0/myorg",
		"https://analysis.chinacloudapi.cn/powerbi/api/.default"},
}

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestPowerBISettingsPerCloud(t *testing.T) {
	if got := len(powerbi.CloudNames()); got != len(wantClouds) {
		t.Errorf("%d clouds, want %d", got, len(wantClouds))
	}
	for name, want := range wantClouds {
		for _, how := range []string{"attribute", "environment"} {
			cfg, vars := providerModel{Cloud: types.StringValue(name)}, map[string]string{}
			if how == "environment" {
				cfg, vars = providerModel{}, map[string]string{EnvCloud: name}
			}
			s, diags := powerBISettings(cfg, env(vars))
			if diags.HasError() {
				t.Fatalf("%s from %s: %v", name, how, diags)
			}
			if s.AuthorityHost != want.authority || s.Endpoint != want.endpoint || s.Scope != want.scope {
				t.Errorf("%s from %s: authority %s, endpoint %s, scope %s; want %s, %s, %s", name, how,
					s.AuthorityHost, s.Endpoint, s.Scope, want.authority, want.endpoint, want.scope)
			}
		}
	}
	// No setting at all is the public cloud.
	if s, _ := powerBISettings(providerModel{}, env(nil)); s.Scope != wantClouds["public"].scope || s.Endpoint != wantClouds["public"].endpoint {
		t.Errorf("default: %+v", s)
	}
}

// Explicit hosts win over the cloud's, the attribute over the environment;
// the scope stays the cloud's.
func TestPowerBISettingsExplicitHostsWin(t *testing.T) {
	cfg := providerModel{
		Cloud:              types.StringValue("usgovhigh"),
		EntraAuthorityHost: types.StringValue("https://login.example.test/"),
	}
	s, diags := powerBISettings(cfg, env(map[string]string{
		EnvCloud:           "china", // the attribute wins
		EnvEntraAuthority:  "https://ignored.example.test",
		EnvPowerBIEndpoint: "https://pbi.example.test/v1.0/myorg",
	}))
	if diags.HasError() {
		t.Fatal(diags)
	}
	if s.AuthorityHost != "https://login.example.test" || s.Endpoint != "https://pbi.example.test/v1.0/myorg" ||
		s.Scope != wantClouds["usgovhigh"].scope {
		t.Errorf("settings = %+v", s)
	}
}

func TestPowerBISettingsUnknownCloudFromEnvironment(t *testing.T) {
	_, diags := powerBISettings(providerModel{}, env(map[string]string{EnvCloud: "gcc-moderate"}))
	if !diags.HasError() {
		t.Fatal("an unknown cloud must be an error")
	}
	d := diags.Errors()[0]
	for _, want := range []string{`"gcc-moderate"`, EnvCloud, "`usgovhigh`"} {
		if !strings.Contains(d.Detail(), want) {
			t.Errorf("detail %q lacks %q", d.Detail(), want)
		}
	}
}

// Each cloud asks Entra ID for its own Power BI scope. The sandbox's Entra
// emulator stands in for every cloud's authority (an explicit
// entra_authority_host) and records the scope of each token request; it only
// knows the public cloud's Power BI, so it refuses the others' tokens, after
// logging the request.
func TestEachCloudAsksForItsScope(t *testing.T) {
	sb, err := sandbox.Start(sandbox.Options{ScheduleTick: -1})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sb.Close() })
	for name, want := range wantClouds {
		t.Run(name, func(t *testing.T) {
			s, diags := powerBISettings(providerModel{
				Cloud:              types.StringValue(name),
				EntraAuthorityHost: types.StringValue(sb.AuthorityHost),
				PowerBIEndpoint:    types.StringValue(sb.PowerBIEndpoint),
			}, env(nil))
			if diags.HasError() {
				t.Fatal(diags)
			}
			s.HTTPClient, s.MaxRetries = sb.HTTPClient(), 0
			client, err := s.NewClient(powerbi.Credentials{TenantID: tenant.DemoTenantID, ClientID: tenant.DemoClientID, ClientSecret: tenant.DemoClientSecret})
			if err != nil {
				t.Fatal(err)
			}
			sb.Entra.ResetRequests()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, listErr := client.ListGroups(ctx)
			if name == powerbi.PublicCloud && listErr != nil {
				t.Errorf("the public cloud's token works with the sandbox's Power BI: %v", listErr)
			}
			var scopes []string
			for _, r := range sb.Entra.Requests() {
				if r.Endpoint == "token" {
					scopes = append(scopes, r.Scope)
				}
			}
			if len(scopes) != 1 || !strings.Contains(" "+scopes[0]+" ", " "+want.scope+" ") {
				t.Errorf("token requests asked for scopes %q, want one with %s", scopes, want.scope)
			}
		})
	}
}
