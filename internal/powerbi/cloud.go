package powerbi

import "strings"

// Cloud is where Power BI lives for one Microsoft cloud: the Entra ID
// authority that issues tokens, the REST API, and the token scope. The three
// belong together: a token for one cloud's scope is refused by another
// cloud's API.
type Cloud struct {
	// Name is the provider's value for the cloud setting.
	Name string
	// Title names the cloud as Microsoft does, for documentation.
	Title         string
	AuthorityHost string
	Endpoint      string
	Scope         string
}

// PublicCloud is the default, commercial cloud.
const PublicCloud = "public"

// clouds are the Microsoft clouds Power BI runs in. The authority hosts,
// scopes and API roots are those Microsoft documents in "Embed Power BI
// content into your application for national/regional clouds",
// https://learn.microsoft.com/power-bi/developer/embedded/embed-sample-for-customers-national-clouds
// (its authorityUrl, scopeBase and urlPowerBiServiceApiRoot per cloud); the
// public cloud's are those of the Power BI REST API reference,
// https://learn.microsoft.com/rest/api/power-bi/. Microsoft calls GCC High
// "Military Contractors (DoDCON)" on that page.
var clouds = []Cloud{
	{Name: PublicCloud, Title: "the public, commercial cloud",
		AuthorityHost: DefaultAuthorityHost, Endpoint: DefaultEndpoint, Scope: PowerBIScope},
	{Name: "usgov", Title: "US Government Community Cloud (GCC)",
		AuthorityHost: "https://login.microsoftonline.com",
		Endpoint:      "https://api.powerbigov.us/v1.0/myorg",
		Scope:         "https://analysis.usgovcloudapi.net/powerbi/api/.default"},
	{Name: "usgovhigh", Title: "US Government Community Cloud High (GCC High)",
		AuthorityHost: "https://login.microsoftonline.us",
		Endpoint:      "https://api.high.powerbigov.us/v1.0/myorg",
		Scope:         "https://high.analysis.usgovcloudapi.net/powerbi/api/.default"},
	{Name: "usdod", Title: "US Department of Defense (DoD)",
		AuthorityHost: "https://login.microsoftonline.us",
		Endpoint:      "https://api.mil.powerbigov.us/v1.0/myorg",
		Scope:         "https://mil.analysis.usgovcloudapi.net/powerbi/api/.default"},
	{Name: "china", Title: "Power BI for China cloud, operated by 21Vianet",
		AuthorityHost: "https://login.chinacloudapi.cn",
		Endpoint:      "https://api.powerbi.cn/v1.0/myorg",
		Scope:         "https://analysis.chinacloudapi.cn/powerbi/api/.default"},
}

// Clouds lists every cloud, the public one first.
func Clouds() []Cloud { return append([]Cloud(nil), clouds...) }

// CloudNames lists the valid names, the public cloud first.
func CloudNames() []string {
	names := make([]string, len(clouds))
	for i, c := range clouds {
		names[i] = c.Name
	}
	return names
}

// LookupCloud finds a cloud by name, ignoring case and surrounding space.
func LookupCloud(name string) (Cloud, bool) {
	name = strings.ToLower(strings.TrimSpace(name))
	for _, c := range clouds {
		if c.Name == name {
			return c, true
		}
	}
	return Cloud{}, false
}
