package powerbi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// groupsHandler serves n workspaces on GET /groups honouring $top/$skip.
// withCount adds @odata.count (the total), as live responses do.
func groupsHandler(t *testing.T, n int, withCount bool, requests *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/v1.0/myorg/groups" {
			t.Errorf("unexpected path %s", r.URL.Path)
		}
		top, _ := strconv.Atoi(r.URL.Query().Get("$top"))
		skip, _ := strconv.Atoi(r.URL.Query().Get("$skip"))
		var value []map[string]any
		for i := skip; i < n && i < skip+top; i++ {
			g := map[string]any{
				"id":                    fmt.Sprintf("00000000-0000-0000-0000-%012d", i),
				"name":                  fmt.Sprintf("Workspace %02d", i),
				"type":                  "Workspace",
				"isReadOnly":            i%2 == 1,
				"isOnDedicatedCapacity": i == 0,
			}
			if i == 0 {
				g["capacityId"] = "0f084df7-c13d-451b-af5f-ed0c466403b2"
				g["defaultDatasetStorageFormat"] = "Small"
			}
			value = append(value, g)
		}
		body := map[string]any{"@odata.context": "http://example/v1.0/myorg/$metadata#groups", "value": value}
		if withCount {
			body["@odata.count"] = n
		}
		writeJSON(w, 200, body)
	})
}

func TestListGroupsPagesWithTopAndSkip(t *testing.T) {
	cases := []struct {
		name      string
		total     int
		pageSize  int
		withCount bool
		requests  int32
	}{
		{"count ends paging on an exact multiple", 6, 3, true, 2},
		{"short page ends paging", 7, 3, true, 3},
		{"without @odata.count an empty page ends an exact multiple", 6, 3, false, 3},
		{"single page", 2, 5000, true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var requests atomic.Int32
			c, _ := newTestClient(t, groupsHandler(t, tc.total, tc.withCount, &requests), func(cfg *ClientConfig) {
				cfg.GroupsPageSize = tc.pageSize
			})
			groups, err := c.ListGroups(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(groups) != tc.total {
				t.Fatalf("got %d groups, want %d", len(groups), tc.total)
			}
			if got := requests.Load(); got != tc.requests {
				t.Errorf("requests = %d, want %d", got, tc.requests)
			}
			g0, g1 := groups[0], groups[1]
			if g0.Name != "Workspace 00" || !g0.IsOnDedicatedCapacity || g0.CapacityID == "" || g0.Type != "Workspace" || g0.IsReadOnly {
				t.Errorf("group 0 decoded as %+v", g0)
			}
			if !g1.IsReadOnly || g1.CapacityID != "" {
				t.Errorf("group 1 decoded as %+v", g1)
			}
		})
	}
}

func TestListGroupsStopsWhenServerIgnoresSkip(t *testing.T) {
	var requests atomic.Int32
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		writeJSON(w, 200, map[string]any{"value": []map[string]any{
			{"id": "00000000-0000-0000-0000-000000000001", "name": "a"},
			{"id": "00000000-0000-0000-0000-000000000002", "name": "b"},
		}})
	})
	c, _ := newTestClient(t, h, func(cfg *ClientConfig) { cfg.GroupsPageSize = 2 })
	groups, err := c.ListGroups(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(groups) != 2 || requests.Load() != 2 {
		t.Fatalf("groups=%d requests=%d; want 2 and 2", len(groups), requests.Load())
	}
}

func TestListDatasetsAndReportsDecodeSwaggerShapes(t *testing.T) {
	const group = "f089354e-8366-4e18-aea3-4cb4a3a50b48"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /v1.0/myorg/groups/{g}/datasets", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer test-token" {
			t.Errorf("Authorization = %q", r.Header.Get("Authorization"))
		}
		if r.Header.Get("User-Agent") != "unit-test/1" {
			t.Errorf("User-Agent = %q", r.Header.Get("User-Agent"))
		}
		if r.PathValue("g") != group {
			t.Errorf("group = %q", r.PathValue("g"))
		}
		// The swagger spells IsRefreshable/CreatedDate in PascalCase; live
		// responses use camelCase. Both must decode. Some dates carry no zone.
		_, _ = w.Write([]byte(`{"value":[
			{"id":"cfafbeb1-8037-4d0c-896e-a46fb27ff229","name":"SalesMarketing","configuredBy":"john@contoso.com",
			 "isRefreshable":true,"webUrl":"https://app.powerbi.com/groups/g/datasets/d","targetStorageMode":"Abf",
			 "createdDate":"2024-01-15T10:30:00Z","addRowsAPIEnabled":false,"description":"Sales"},
			{"id":"7a2b1c4e-0000-4000-8000-000000000001","name":"Legacy","IsRefreshable":true,"CreatedDate":"2020-06-16T08:22:49.14"},
			{"id":"7a2b1c4e-0000-4000-8000-000000000002","name":"Bare"}]}`))
	})
	mux.HandleFunc("GET /v1.0/myorg/groups/{g}/reports", func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"value":[
			{"id":"5b218778-e7a5-4d73-8187-f10824047715","name":"SalesMarketing","reportType":"PowerBIReport",
			 "webUrl":"https://app.powerbi.com/groups/g/reports/r","embedUrl":"https://app.powerbi.com/reportEmbed?reportId=r",
			 "datasetId":"cfafbeb1-8037-4d0c-896e-a46fb27ff229","datasetWorkspaceId":"3d9b93c6-7b6d-4801-a491-1738910904fd",
			 "description":"Quarterly","isOwnedByMe":false,"users":[],"subscriptions":[]},
			{"id":"6c218778-e7a5-4d73-8187-f10824047716","name":"Invoice","reportType":"PaginatedReport"}]}`))
	})
	c, _ := newTestClient(t, mux, func(cfg *ClientConfig) { cfg.UserAgent = "unit-test/1" })

	ds, err := c.ListDatasets(context.Background(), group)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 3 {
		t.Fatalf("datasets = %d", len(ds))
	}
	d := ds[0]
	if d.Name != "SalesMarketing" || d.ConfiguredBy != "john@contoso.com" || !d.IsRefreshable || d.WebURL == "" ||
		d.TargetStorageMode != "Abf" || d.Description != "Sales" || d.CreatedDate == nil ||
		!d.CreatedDate.Equal(time.Date(2024, 1, 15, 10, 30, 0, 0, time.UTC)) {
		t.Errorf("dataset 0 = %+v", d)
	}
	if !ds[1].IsRefreshable || ds[1].CreatedDate == nil || ds[1].CreatedDate.Year() != 2020 {
		t.Errorf("PascalCase dataset = %+v", ds[1])
	}
	if ds[2].CreatedDate != nil || ds[2].IsRefreshable {
		t.Errorf("bare dataset = %+v", ds[2])
	}

	rs, err := c.ListReports(context.Background(), group)
	if err != nil {
		t.Fatal(err)
	}
	want := Report{ID: "5b218778-e7a5-4d73-8187-f10824047715", Name: "SalesMarketing", ReportType: "PowerBIReport",
		WebURL: "https://app.powerbi.com/groups/g/reports/r", EmbedURL: "https://app.powerbi.com/reportEmbed?reportId=r",
		DatasetID: "cfafbeb1-8037-4d0c-896e-a46fb27ff229", DatasetWorkspaceID: "3d9b93c6-7b6d-4801-a491-1738910904fd",
		Description: "Quarterly"}
	if len(rs) != 2 || rs[0] != want {
		t.Fatalf("reports = %+v", rs)
	}
	if rs[1].DatasetID != "" || rs[1].ReportType != "PaginatedReport" {
		t.Errorf("paginated report = %+v", rs[1])
	}
}

// scripted answers each request with the next status (200 when exhausted).
func scripted(statuses []int, retryAfter string, calls *atomic.Int32) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(calls.Add(1)) - 1
		if i < len(statuses) {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			code := map[int]string{429: "TooManyRequests", 503: "ServiceUnavailable", 500: "InternalServerError"}[statuses[i]]
			pbiError(w, statuses[i], code, "try later")
			return
		}
		writeJSON(w, 200, map[string]any{"value": []any{}})
	})
}

func TestRetriesThrottlingHonouringRetryAfter(t *testing.T) {
	var calls atomic.Int32
	c, clock := newTestClient(t, scripted([]int{429, 429}, "7", &calls), nil)
	if _, err := c.ListDatasets(context.Background(), "g"); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Errorf("calls = %d, want 3", calls.Load())
	}
	if got := clock.Sleeps(); len(got) != 2 || got[0] != 7*time.Second || got[1] != 7*time.Second {
		t.Errorf("sleeps = %v, want [7s 7s]", got)
	}
}

func TestRetriesServerErrorsWithJitteredBackoff(t *testing.T) {
	var calls atomic.Int32
	c, clock := newTestClient(t, scripted([]int{503, 500, 502}, "", &calls), nil)
	if _, err := c.ListReports(context.Background(), "g"); err != nil {
		t.Fatal(err)
	}
	sleeps := clock.Sleeps()
	if len(sleeps) != 3 {
		t.Fatalf("sleeps = %v", sleeps)
	}
	// RetryWaitMin 100ms doubling, each wait in [base/2, base].
	for i, base := range []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond} {
		if sleeps[i] < base/2 || sleeps[i] > base {
			t.Errorf("sleep %d = %v, want within [%v, %v]", i, sleeps[i], base/2, base)
		}
	}
}

func TestBackoffIsCappedAtRetryWaitMax(t *testing.T) {
	c, _ := newTestClient(t, http.NotFoundHandler(), nil)
	for range 20 {
		if d := c.backoff(30); d > time.Second || d < 500*time.Millisecond {
			t.Fatalf("backoff(30) = %v, want within [500ms, 1s]", d)
		}
	}
}

func TestGivesUpAfterMaxRetries(t *testing.T) {
	var calls atomic.Int32
	c, clock := newTestClient(t, scripted([]int{503, 503, 503, 503, 503}, "", &calls), func(cfg *ClientConfig) { cfg.MaxRetries = ptr(2) })
	_, err := c.ListDatasets(context.Background(), "g")
	ae, ok := AsAPIError(err)
	if !ok || ae.StatusCode != 503 || ae.Attempts != 3 {
		t.Fatalf("err = %v", err)
	}
	if calls.Load() != 3 || len(clock.Sleeps()) != 2 {
		t.Errorf("calls=%d sleeps=%v", calls.Load(), clock.Sleeps())
	}
	for _, s := range []string{"list semantic models (GET /groups/g/datasets)", "HTTP 503", "gave up after 3 attempts", "try again later"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("message lacks %q: %s", s, err)
		}
	}
}

func TestNegativeMaxRetriesDisablesRetries(t *testing.T) {
	var calls atomic.Int32
	c, _ := newTestClient(t, scripted([]int{429}, "1", &calls), func(cfg *ClientConfig) { cfg.MaxRetries = ptr(-1) })
	if _, err := c.ListDatasets(context.Background(), "g"); err == nil || calls.Load() != 1 {
		t.Fatalf("err=%v calls=%d", err, calls.Load())
	}
}

func TestGivesUpEarlyWhenRetryAfterPassesTheDeadline(t *testing.T) {
	var calls atomic.Int32
	c, clock := newTestClient(t, scripted([]int{429, 429}, "30", &calls), nil)
	ctx, cancel := context.WithDeadline(context.Background(), clock.Now().Add(10*time.Second))
	defer cancel()
	_, err := c.ListDatasets(ctx, "g")
	if ae, ok := AsAPIError(err); !ok || ae.StatusCode != 429 || ae.RetryAfter != 30*time.Second {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "giving up early") || !strings.Contains(err.Error(), "retry after 30s") {
		t.Errorf("message = %s", err)
	}
	if calls.Load() != 1 || len(clock.Sleeps()) != 0 {
		t.Errorf("calls=%d sleeps=%v; must not wait for a retry that cannot happen", calls.Load(), clock.Sleeps())
	}
}

func TestRefusesRetryAfterLongerThanMaxRetryAfter(t *testing.T) {
	var calls atomic.Int32
	c, clock := newTestClient(t, scripted([]int{429}, "3600", &calls), nil)
	_, err := c.ListDatasets(context.Background(), "g")
	if err == nil || !strings.Contains(err.Error(), "longer than this client waits") || len(clock.Sleeps()) != 0 {
		t.Fatalf("err=%v sleeps=%v", err, clock.Sleeps())
	}
}

func TestStopsWaitingWhenContextIsCancelled(t *testing.T) {
	var calls atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newTestClient(t, scripted([]int{503, 503}, "", &calls), func(cfg *ClientConfig) {
		cfg.Sleep = func(context.Context, time.Duration) error { cancel(); return context.Canceled }
	})
	_, err := c.ListDatasets(ctx, "g")
	if err == nil || !strings.Contains(err.Error(), "stopped waiting to retry") || calls.Load() != 1 {
		t.Fatalf("err=%v calls=%d", err, calls.Load())
	}
}

func TestNoRetryOnClientErrorsAndActionableMessages(t *testing.T) {
	cases := []struct {
		status  int
		code    string
		message string
		mustSay []string
	}{
		{401, CodeNotAuthorized, "", []string{"HTTP 401 PowerBINotAuthorizedException", `"Service principals can use Fabric APIs"`, "security group", "request ID req-PowerBINotAuthorizedException"}},
		{403, CodeTokenExpired, "Access token has expired, resubmit with a new access token", []string{"TokenExpired: Access token has expired", "clock"}},
		{404, CodeEntityNotFound, "", []string{"PowerBIEntityNotFound", "not a member of its workspace", "Viewer"}},
		{404, CodeItemNotFound, "Dataset x is not found.", []string{"ItemNotFound: Dataset x is not found.", "not a member of its workspace"}},
		{400, "InvalidRequest", "bad filter", []string{"HTTP 400 InvalidRequest: bad filter."}},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status, tc.code), func(t *testing.T) {
			var calls atomic.Int32
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				w.Header().Set("Retry-After", "1") // must be ignored for 4xx
				pbiError(w, tc.status, tc.code, tc.message)
			})
			c, clock := newTestClient(t, h, nil)
			_, err := c.ListGroups(context.Background())
			ae, ok := AsAPIError(err)
			if !ok || ae.StatusCode != tc.status || ae.Code != tc.code {
				t.Fatalf("err = %v", err)
			}
			if calls.Load() != 1 || len(clock.Sleeps()) != 0 {
				t.Errorf("calls=%d sleeps=%v; %d must not be retried", calls.Load(), clock.Sleeps(), tc.status)
			}
			for _, s := range append(tc.mustSay, "list workspaces (GET /groups)") {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("message lacks %q:\n%s", s, err)
				}
			}
		})
	}
}

func TestNonJSONErrorBodies(t *testing.T) {
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/v1.0/myorg/groups/html/datasets" {
			w.WriteHeader(404)
			_, _ = w.Write([]byte("<html>gateway</html>"))
			return
		}
		w.WriteHeader(400)
		_, _ = w.Write([]byte("You have exceeded the amount of requests"))
	})
	c, _ := newTestClient(t, h, nil)
	_, err := c.ListDatasets(context.Background(), "text")
	if ae, ok := AsAPIError(err); !ok || ae.Message != "You have exceeded the amount of requests" {
		t.Errorf("text body: %v", err)
	}
	_, err = c.ListDatasets(context.Background(), "html")
	if ae, ok := AsAPIError(err); !ok || ae.Message != "" || !IsNotFound(err) {
		t.Errorf("html body: %v", err)
	}
}

func TestTokenErrors(t *testing.T) {
	t.Run("temporary Entra failure is retried", func(t *testing.T) {
		tokens := &staticTokens{errs: []error{&AuthError{StatusCode: 503}}}
		var calls atomic.Int32
		c, clock := newTestClient(t, scripted(nil, "", &calls), func(cfg *ClientConfig) { cfg.Tokens = tokens })
		if _, err := c.ListDatasets(context.Background(), "g"); err != nil {
			t.Fatal(err)
		}
		if tokens.calls != 2 || calls.Load() != 1 || len(clock.Sleeps()) != 1 {
			t.Errorf("token calls=%d api calls=%d sleeps=%v", tokens.calls, calls.Load(), clock.Sleeps())
		}
	})
	t.Run("credential error is returned at once", func(t *testing.T) {
		tokens := &staticTokens{errs: []error{&AuthError{StatusCode: 401, AADSTS: AADSTSInvalidClientSecret}}}
		var calls atomic.Int32
		c, _ := newTestClient(t, scripted(nil, "", &calls), func(cfg *ClientConfig) { cfg.Tokens = tokens })
		_, err := c.ListDatasets(context.Background(), "g")
		if ae, ok := AsAuthError(err); !ok || ae.AADSTS != AADSTSInvalidClientSecret {
			t.Fatalf("err = %v", err)
		}
		if tokens.calls != 1 || calls.Load() != 0 {
			t.Errorf("token calls=%d api calls=%d", tokens.calls, calls.Load())
		}
	})
}

func TestNewClientValidation(t *testing.T) {
	if _, err := NewClient(ClientConfig{}); err == nil {
		t.Error("missing Tokens must be rejected")
	}
	if _, err := NewClient(ClientConfig{Tokens: &staticTokens{}, Endpoint: "api.powerbi.com"}); err == nil {
		t.Error("relative endpoint must be rejected")
	}
	c, err := NewClient(ClientConfig{Tokens: &staticTokens{}})
	if err != nil || c.Endpoint() != DefaultEndpoint || c.maxRetries != DefaultMaxRetries {
		t.Errorf("defaults: %v %+v", err, c)
	}
}

func ptr[T any](v T) *T { return &v }
