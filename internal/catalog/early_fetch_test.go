package catalog_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/entropy-data/terraform-provider-entropydata/internal/catalog"
	"github.com/entropy-data/terraform-provider-entropydata/internal/entropydata"
)

// A candidate the walk can already tell is kept is fetched while the walk
// goes on: the second page of the list is answered only once the model on
// the first page has been asked for (or after a timeout, which fails the
// test). A candidate whose workspace is not listed yet waits for the end of
// the walk, which lists its workspace as not matching: it is never fetched.
func TestCandidatesAreFetchedWhileTheListIsWalked(t *testing.T) {
	early := modelAsset(model1, "Early", wsA, "Alpha", groupURL(wsA, model1))
	ruledOut := modelAsset(model2, "Ruled out", wsB, "Beta", groupURL(wsB, model2))
	pages := [][]entropydata.Asset{
		{workspaceAsset(wsA, "Alpha"), early, ruledOut},
		{workspaceAsset(wsB, "Beta")},
	}
	fetchedEarly := make(chan struct{})
	var once sync.Once
	var mu sync.Mutex
	var gets []string
	waited := false
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/assets" {
			page := 0
			if r.URL.Query().Get("p") == "1" {
				page = 1
				select {
				case <-fetchedEarly:
				case <-time.After(10 * time.Second):
					mu.Lock()
					waited = true
					mu.Unlock()
				}
			} else if r.URL.Query().Get("p") != "" {
				_, _ = w.Write([]byte("[]"))
				return
			}
			if page == 0 {
				w.Header().Set("Link", `</api/assets?p=1>; rel="next"`)
			}
			items := []entropydata.Asset{}
			for _, a := range pages[page] {
				items = append(items, entropydata.Asset{ID: a.ID, Info: a.Info})
			}
			_ = json.NewEncoder(w).Encode(items)
			return
		}
		id := strings.TrimPrefix(r.URL.Path, "/api/assets/")
		mu.Lock()
		gets = append(gets, id)
		mu.Unlock()
		for _, a := range pages[0] {
			if a.ID == id {
				_ = json.NewEncoder(w).Encode(a)
				if id == early.ID {
					once.Do(func() { close(fetchedEarly) })
				}
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	c, err := entropydata.New(entropydata.Config{Host: srv.URL, APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}

	models, err := catalog.New(c).SemanticModels(context.Background(), catalog.Query{Workspace: "Alpha"})
	if err != nil {
		t.Fatal(err)
	}
	if len(models) != 1 || models[0].Name != "Early" {
		t.Errorf("models = %+v, want Early", models)
	}
	mu.Lock()
	defer mu.Unlock()
	if waited {
		t.Error("the model on the first page was fetched only after the walk ended")
	}
	if len(gets) != 1 || gets[0] != early.ID {
		t.Errorf("fetched %v, want only %s (the other model's workspace does not match)", gets, early.ID)
	}
}
