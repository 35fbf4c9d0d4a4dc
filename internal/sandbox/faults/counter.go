package faults

import (
	"regexp"
	"strings"
)

// Request counting. Keys are "METHOD /path/template", so "PUT /api/assets/{id}" counts all
// asset upserts however many assets there are. A path is templated by the first registered
// template that fits it best (most literal segments); otherwise GUID and numeric segments
// become {id}.

// DefaultTemplates name the sandbox's own routes whose IDs are not GUIDs: Entropy Data
// resources are keyed by user-chosen IDs, Entra by tenant GUID or domain.
var DefaultTemplates = []string{
	"/api/integrations/ingest",
	"/api/integrations/ingest/{externalId}",
	"/api/integrations/{externalId}",
	"/api/integrations/{externalId}/run",
	"/api/integrations/{externalId}/cancel",
	"/api/integrations/{externalId}/runs",
	"/api/integrations/{externalId}/runs/latest",
	"/api/integrations/{externalId}/runs/{runId}",
	"/api/integrations/{id}/configuration",
	"/api/assets/{id}",
	"/api/dataproducts/{id}",
	"/api/dataproducts/{id}/score",
	"/api/datacontracts/{id}",
	"/api/access/{id}",
	"/api/access/{id}/approve",
	"/api/access/{id}/reject",
	"/api/access/{id}/cancel",
	"/api/teams/{id}",
	"/api/tags/{id}",
	"/{tenant}/oauth2/v2.0/token",
	"/{tenant}/v2.0/.well-known/openid-configuration",
	"/{tenant}/discovery/v2.0/keys",
}

type template struct {
	text     string
	segs     []string // "" marks a wildcard segment
	literals int
}

func parseTemplate(t string) template {
	tp := template{text: t}
	for _, s := range strings.Split(strings.Trim(t, "/"), "/") {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			tp.segs = append(tp.segs, "")
		} else {
			tp.segs = append(tp.segs, s)
			tp.literals++
		}
	}
	return tp
}

func (t template) matches(segs []string) bool {
	if len(segs) != len(t.segs) {
		return false
	}
	for i, s := range t.segs {
		if s != "" && s != segs[i] {
			return false
		}
	}
	return true
}

var (
	guidSegRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)
	numSegRE  = regexp.MustCompile(`^[0-9]+$`)
)

// templatePath maps a request path to its counting key path.
func templatePath(templates []template, path string) string {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	best := -1
	for i, t := range templates {
		if t.matches(segs) && (best < 0 || t.literals > templates[best].literals) {
			best = i
		}
	}
	if best >= 0 {
		return templates[best].text
	}
	out := make([]string, len(segs))
	for i, s := range segs {
		if guidSegRE.MatchString(s) || numSegRE.MatchString(s) {
			out[i] = "{id}"
		} else {
			out[i] = s
		}
	}
	return "/" + strings.Join(out, "/")
}
