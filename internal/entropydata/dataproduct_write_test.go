package entropydata

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
)

// storedDocumentServer answers every GET with stored and every write with 200.
func storedDocumentServer(t *testing.T, stored string) *server {
	return newServer(t, func(w http.ResponseWriter, r *http.Request, n int) {
		if r.Method == http.MethodGet {
			writeJSON(w, 200, stored)
			return
		}
		w.WriteHeader(200)
	})
}

// putAfterGet reads stored, lets edit change the view, writes it back and
// returns the request body.
func putAfterGet(t *testing.T, stored string, edit func(*DataProduct)) []byte {
	t.Helper()
	srv := storedDocumentServer(t, stored)
	c, _ := newClient(t, srv.URL)
	ctx := context.Background()
	dp, err := c.GetDataProduct(ctx, "p")
	if err != nil {
		t.Fatal(err)
	}
	edit(dp)
	if err := c.PutDataProduct(ctx, *dp); err != nil {
		t.Fatal(err)
	}
	return srv.requests()[1].Body
}

// A DPS document is written back as DPS: the view's fields change, keys it
// does not model (info.domain, an output port's environment, custom values
// that are not text, unknown top-level keys) stay.
func TestPutDataProductKeepsUnmodelledDPS(t *testing.T) {
	body := putAfterGet(t, `{"dataProductSpecification":"0.0.1","id":"p","x-extension":{"a":[1,2]},
		"info":{"title":"Old","owner":"finance","description":"gone soon","domain":"sales","icon":"chart","maturity":3},
		"outputPorts":[{"id":"semantic-model","name":"Old","environment":"prod","custom":{"costCenter":"1","sla":{"hours":4}},"autoApprove":true},
		               {"id":"other","name":"Other","location":"s3://x","autoApprove":"yes"}],
		"custom":{"owner-note":"ui","classification":"internal","score":7},
		"links":{"wiki":"https://wiki"}}`, func(dp *DataProduct) {
		dp.Info.Title = "New"
		dp.Info.Description = ""
		dp.Custom = TextMap{"owner-note": "ui", "costCenter": "2"}
		dp.OutputPorts[0].Name = "Revenue"
		dp.OutputPorts[0].Custom = TextMap{}
		dp.Tags = []string{"t"}
	})
	assertJSONEqual(t, body, `{"dataProductSpecification":"0.0.1","id":"p","x-extension":{"a":[1,2]},
		"info":{"title":"New","owner":"finance","domain":"sales","icon":"chart","maturity":3},
		"outputPorts":[{"id":"semantic-model","name":"Revenue","environment":"prod","custom":{"sla":{"hours":4}},"autoApprove":true},
		               {"id":"other","name":"Other","location":"s3://x","autoApprove":"yes"}],
		"custom":{"owner-note":"ui","costCenter":"2","score":7},
		"links":{"wiki":"https://wiki"},"tags":["t"]}`)
}

// An ODPS document is written back as ODPS, with the fields DPS cannot
// express (domain, support, an SLA property with an object value, input
// ports, an output port's version and sbom) unchanged.
func TestPutDataProductKeepsODPS(t *testing.T) {
	body := putAfterGet(t, `{"apiVersion":"v1.0.0","kind":"DataProduct","id":"p","name":"Old","status":"active","domain":"sales",
		"support":[{"channel":"#revenue","url":"https://chat"}],"version":"2.1.0",
		"description":{"purpose":"old purpose","usage":"monthly close"},
		"team":{"name":"finance","members":[{"username":"ana"}]},
		"inputPorts":[{"name":"orders","version":"1","contractId":"orders-v1"}],
		"customProperties":[{"property":"type","value":"powerbi-semantic-model"},{"property":"sla","value":{"hours":4}},
			{"property":"note","value":"ui","description":"set in the UI"},{"property":"assets","value":[{"assetId":"a"}]}],
		"outputPorts":[{"name":"semantic-model","version":"1.0.0","sbom":[{"type":"x","url":"u"}],
			"customProperties":[{"property":"displayName","value":"Old"},{"property":"assets","value":[{"assetId":"a"}]},{"property":"autoApprove","value":true}]}]}`,
		func(dp *DataProduct) {
			if dp.Custom["note"] != "ui" || dp.OutputPorts[0].Name != "Old" || dp.Info.Archetype != "powerbi-semantic-model" {
				t.Errorf("read %+v", dp)
			}
			dp.Info.Title = "New"
			dp.Info.Description = "new purpose"
			dp.Custom["costCenter"] = "4711"
			dp.OutputPorts[0].Name = "Revenue"
			dp.OutputPorts[0].Assets = []AssetRef{{AssetID: "a"}, {AssetID: "b"}}
		})
	assertJSONEqual(t, body, `{"apiVersion":"v1.0.0","kind":"DataProduct","id":"p","name":"New","status":"active","domain":"sales",
		"support":[{"channel":"#revenue","url":"https://chat"}],"version":"2.1.0",
		"description":{"purpose":"new purpose","usage":"monthly close"},
		"team":{"name":"finance","members":[{"username":"ana"}]},
		"inputPorts":[{"name":"orders","version":"1","contractId":"orders-v1"}],
		"customProperties":[{"property":"type","value":"powerbi-semantic-model"},{"property":"sla","value":{"hours":4}},
			{"property":"note","value":"ui","description":"set in the UI"},{"property":"assets","value":[{"assetId":"a"}]},
			{"property":"costCenter","value":"4711"}],
		"outputPorts":[{"name":"semantic-model","version":"1.0.0","sbom":[{"type":"x","url":"u"}],
			"customProperties":[{"property":"displayName","value":"Revenue"},{"property":"assets","value":[{"assetId":"a"},{"assetId":"b"}]},{"property":"autoApprove","value":true}]}]}`)
}

// Assets and access agreements of another shape than the client's view
// decode: unknown properties, link and custom values that are not text, a
// provisioning report of another shape.
func TestDecodeToleratesOtherShapes(t *testing.T) {
	var a Asset
	if err := json.Unmarshal([]byte(`{"id":"x","info":{"type":"powerbi_report","metadataSource":"purview"},"createdAt":"2026",
		"lifecycle":{"stage":"prod"},"links":{"powerbi":"https://p","owners":["a"]},
		"columns":[{"name":"c","type":"t","physicalType":"int","links":{"doc":{"url":"u"}}}],
		"relationships":[{"relationshipType":"uses","assetId":"m","createdBy":"ingestion"}]}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.Links["powerbi"] != "https://p" || len(a.Links) != 1 || a.Columns[0].Name != "c" || a.Relationships[0].AssetID != "m" {
		t.Errorf("asset %+v", a)
	}
	var acc Access
	if err := json.Unmarshal([]byte(`{"id":"a","info":{"purpose":"p","status":"approved"},"provider":{"dataProductId":"d","outputPortId":"o"},
		"consumer":{"dataProductId":"c"},"custom":{"managedBy":"terraform-provider-entropydata","score":3},
		"provisioning":{"status":["odd"]},"workflow":{"step":2}}`), &acc); err != nil {
		t.Fatal(err)
	}
	if acc.Custom["managedBy"] != "terraform-provider-entropydata" || acc.Provisioning != nil || acc.Info.Status != "approved" {
		t.Errorf("access %+v", acc)
	}
}

func TestDataProductUnrecognized(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{`{"dataProductSpecification":"0.0.1","id":"p","info":{"title":"t","owner":"o"},"custom":{"a":"x","sla":{"h":4},"n":1}}`, "[{custom.n kept as stored} {custom.sla kept as stored}]"},
		{`{"apiVersion":"v1.0.0","kind":"DataProduct","id":"p","customProperties":[{"property":"a","value":"x"},{"property":"sla","value":{"h":4}},{"property":"assets","value":[]}]}`, "[{customProperties[sla] kept as stored}]"},
	} {
		var dp DataProduct
		if err := json.Unmarshal([]byte(tc.doc), &dp); err != nil {
			t.Fatal(err)
		}
		if got := fmt.Sprint(dp.Unrecognized()); got != tc.want {
			t.Errorf("Unrecognized = %s, want %s", got, tc.want)
		}
	}
}

// A value of an unexpected type leaves only its own field empty: a list
// with one odd asset or data product still reads.
func TestDecodeOddValuesField(t *testing.T) {
	var assets []Asset
	if err := json.Unmarshal([]byte(`[{"id":"a","info":{"name":"A","version":2,"type":"snowflake_table"},"tags":[{"name":"x"}],
		"columns":[{"name":"c","type":"t","required":"yes"}]},{"id":"b","info":{"name":"B"}}]`), &assets); err != nil {
		t.Fatal(err)
	}
	if len(assets) != 2 || assets[0].Info.Name != "A" || assets[0].Info.Type != "snowflake_table" || assets[0].Info.Version != "" ||
		assets[0].Tags != nil || assets[0].Columns[0].Name != "c" || assets[1].Info.Name != "B" {
		t.Errorf("assets %+v", assets)
	}
	var dp DataProduct
	if err := json.Unmarshal([]byte(`{"dataProductSpecification":"0.0.1","id":"p","info":{"title":"T","owner":"o","status":1},
		"tags":"x","outputPorts":[{"id":"o","name":"O","autoApprove":"yes"}]}`), &dp); err != nil {
		t.Fatal(err)
	}
	if dp.Info.Title != "T" || dp.Info.Status != "" || dp.Tags != nil || dp.OutputPorts[0].ID != "o" || dp.OutputPorts[0].AutoApprove != nil {
		t.Errorf("data product %+v", dp)
	}
	if _, err := json.Marshal(dp); err != nil {
		t.Fatal(err)
	}
}
