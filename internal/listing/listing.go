// Package listing holds what the list resources (`terraform query`) and the
// resource identities they return share. Each listed object is the state
// `terraform import` would produce, made by the resource's own ImportState
// and Read, so that a generated configuration and an imported resource agree
// by construction.
package listing

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/entropy-data/terraform-provider-entropydata/internal/powerbi"
)

// Result returns the list result for the object with import id: its identity,
// and with req.IncludeResource its full state as after an import.
func Result(ctx context.Context, r resource.ResourceWithImportState, req list.ListRequest, id, displayName string) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = displayName

	imported := resource.ImportStateResponse{
		State:    tfsdk.State{Schema: req.ResourceSchema, Raw: tftypes.NewValue(req.ResourceSchema.Type().TerraformType(ctx), nil)},
		Identity: result.Identity,
	}
	r.ImportState(ctx, resource.ImportStateRequest{ID: id}, &imported)
	result.Diagnostics.Append(imported.Diagnostics...)
	if imported.Diagnostics.HasError() || !req.IncludeResource {
		return result
	}

	read := resource.ReadResponse{State: imported.State, Identity: imported.Identity}
	r.Read(ctx, resource.ReadRequest{State: imported.State, Identity: imported.Identity}, &read)
	result.Diagnostics.Append(read.Diagnostics...)
	if read.State.Raw.IsNull() {
		// Deleted between the list and the read: leave it out.
		return list.ListResult{Diagnostics: withoutErrors(result.Diagnostics)}
	}
	result.Resource = &tfsdk.Resource{Schema: read.State.Schema, Raw: read.State.Raw}
	result.Identity = read.Identity
	return result
}

func withoutErrors(d diag.Diagnostics) diag.Diagnostics {
	var out diag.Diagnostics
	for _, x := range d {
		if x.Severity() != diag.SeverityError {
			out = append(out, x)
		}
	}
	return out
}

// Matches reports whether name matches the optional pattern, with the
// semantics of the integration filters (`*` wildcard, whole name, case-insensitive).
func Matches(pattern, name string) bool {
	return pattern == "" || powerbi.MatchPattern(pattern, name, "")
}

// Emit pushes results in order until Terraform's limit is reached or it stops
// asking. results is called lazily so nothing is read beyond the limit.
func Emit(limit int64, ids []string, result func(string) list.ListResult) func(func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		var n int64
		for _, id := range ids {
			if limit > 0 && n >= limit {
				return
			}
			r := result(id)
			if r.Identity == nil && r.Resource == nil && !r.Diagnostics.HasError() && len(r.Diagnostics) == 0 {
				continue
			}
			if !push(r) {
				return
			}
			n++
		}
	}
}
