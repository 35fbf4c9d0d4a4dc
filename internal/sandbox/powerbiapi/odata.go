package powerbiapi

import (
	"fmt"
	"strings"
)

// This file implements the small OData $filter subset that clients send to GET /groups:
//
//	filter     = or
//	or         = and { "or" and }
//	and        = unary { "and" unary }
//	unary      = "not" unary | primary
//	primary    = "(" filter ")" | boolFunc "(" string "," string ")" | operand [ ("eq" | "ne") operand ]
//	boolFunc   = "contains" | "startswith" | "endswith"
//	operand    = strFunc "(" operand ")" | property | 'string literal' | "true" | "false"
//	strFunc    = "tolower" | "toupper" | "trim"
//	property   = name | id | type | capacityId          (strings)
//	           | isReadOnly | isOnDedicatedCapacity     (booleans)
//
// Keywords, functions and properties match case-insensitively; string comparisons are
// case-sensitive, as OData specifies (use tolower for case-insensitive matching). A quote
// inside a literal is doubled: 'Bob''s'. Anything else is rejected with 400 InvalidRequest,
// so a client never silently gets an unfiltered list.

// filterable is what a filter can see of a workspace.
type filterable struct {
	id, name, typ, capacityID string
	isReadOnly, isOnDedicated bool
}

func filterFields(g group) filterable {
	return filterable{id: g.ID, name: g.Name, typ: g.Type, capacityID: g.CapacityID, isReadOnly: g.IsReadOnly, isOnDedicated: g.IsOnDedicatedCapacity}
}

// predicate is a compiled filter.
type predicate func(filterable) bool

// operand is a typed sub-expression: exactly one of str and boolean is set.
type operand struct {
	str     func(filterable) string
	boolean func(filterable) bool
}

var stringProps = map[string]func(filterable) string{
	"name":       func(f filterable) string { return f.name },
	"id":         func(f filterable) string { return f.id },
	"type":       func(f filterable) string { return f.typ },
	"capacityid": func(f filterable) string { return f.capacityID },
}

var boolProps = map[string]func(filterable) bool{
	"isreadonly":            func(f filterable) bool { return f.isReadOnly },
	"isondedicatedcapacity": func(f filterable) bool { return f.isOnDedicated },
}

var boolFuncs = map[string]func(a, b string) bool{
	"contains":   strings.Contains,
	"startswith": strings.HasPrefix,
	"endswith":   strings.HasSuffix,
}

var strFuncs = map[string]func(string) string{
	"tolower": strings.ToLower,
	"toupper": strings.ToUpper,
	"trim":    strings.TrimSpace,
}

// parseFilter compiles a $filter expression.
func parseFilter(src string) (predicate, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &filterParser{toks: toks}
	pred, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, fmt.Errorf("unexpected %s at position %d", t, t.pos)
	}
	return pred, nil
}

type filterParser struct {
	toks []token
	i    int
}

func (p *filterParser) peek() token { return p.toks[p.i] }
func (p *filterParser) next() token { t := p.toks[p.i]; p.i++; return t }

func (p *filterParser) keyword(word string) bool {
	if t := p.peek(); t.kind == tokIdent && strings.EqualFold(t.text, word) {
		p.i++
		return true
	}
	return false
}

func (p *filterParser) expect(kind tokKind) error {
	if t := p.next(); t.kind != kind {
		return fmt.Errorf("expected %s at position %d, found %s", kind, t.pos, t)
	}
	return nil
}

func (p *filterParser) or() (predicate, error) {
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.keyword("or") {
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(f filterable) bool { return l(f) || right(f) }
	}
	return left, nil
}

func (p *filterParser) and() (predicate, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.keyword("and") {
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		l := left
		left = func(f filterable) bool { return l(f) && right(f) }
	}
	return left, nil
}

func (p *filterParser) unary() (predicate, error) {
	if p.keyword("not") {
		inner, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(f filterable) bool { return !inner(f) }, nil
	}
	return p.primary()
}

func (p *filterParser) primary() (predicate, error) {
	t := p.peek()
	if t.kind == tokLParen {
		p.next()
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		return inner, p.expect(tokRParen)
	}
	if t.kind == tokIdent {
		if fn, ok := boolFuncs[strings.ToLower(t.text)]; ok {
			p.next()
			a, b, err := p.twoStringArgs(t.text)
			if err != nil {
				return nil, err
			}
			return func(f filterable) bool { return fn(a(f), b(f)) }, nil
		}
	}

	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	var negate bool
	switch {
	case p.keyword("eq"):
	case p.keyword("ne"):
		negate = true
	default:
		if left.boolean != nil { // a bare boolean property: "isReadOnly"
			return left.boolean, nil
		}
		if o := p.peek(); o.kind == tokIdent {
			return nil, fmt.Errorf("operator %q at position %d is not supported (use eq or ne)", o.text, o.pos)
		}
		return nil, fmt.Errorf("expected a comparison after position %d", t.pos)
	}
	right, err := p.operand()
	if err != nil {
		return nil, err
	}
	switch {
	case left.str != nil && right.str != nil:
		return func(f filterable) bool { return (left.str(f) == right.str(f)) != negate }, nil
	case left.boolean != nil && right.boolean != nil:
		return func(f filterable) bool { return (left.boolean(f) == right.boolean(f)) != negate }, nil
	default:
		return nil, fmt.Errorf("cannot compare a string with a boolean at position %d", t.pos)
	}
}

func (p *filterParser) twoStringArgs(fn string) (a, b func(filterable) string, err error) {
	if err = p.expect(tokLParen); err != nil {
		return
	}
	x, err := p.operand()
	if err != nil {
		return
	}
	if err = p.expect(tokComma); err != nil {
		return
	}
	y, err := p.operand()
	if err != nil {
		return
	}
	if err = p.expect(tokRParen); err != nil {
		return
	}
	if x.str == nil || y.str == nil {
		return nil, nil, fmt.Errorf("%s takes two strings", fn)
	}
	return x.str, y.str, nil
}

func (p *filterParser) operand() (operand, error) {
	t := p.next()
	switch t.kind {
	case tokString:
		v := t.text
		return operand{str: func(filterable) string { return v }}, nil
	case tokIdent:
		name := strings.ToLower(t.text)
		if fn, ok := strFuncs[name]; ok {
			if err := p.expect(tokLParen); err != nil {
				return operand{}, err
			}
			arg, err := p.operand()
			if err != nil {
				return operand{}, err
			}
			if arg.str == nil {
				return operand{}, fmt.Errorf("%s takes a string", t.text)
			}
			return operand{str: func(f filterable) string { return fn(arg.str(f)) }}, p.expect(tokRParen)
		}
		if get, ok := stringProps[name]; ok {
			return operand{str: get}, nil
		}
		if get, ok := boolProps[name]; ok {
			return operand{boolean: get}, nil
		}
		if name == "true" || name == "false" {
			v := name == "true"
			return operand{boolean: func(filterable) bool { return v }}, nil
		}
		if p.peek().kind == tokLParen {
			return operand{}, fmt.Errorf("function %q is not supported", t.text)
		}
		return operand{}, fmt.Errorf("property %q is not supported", t.text)
	default:
		return operand{}, fmt.Errorf("unexpected %s at position %d", t, t.pos)
	}
}

// Tokens.

type tokKind int

const (
	tokEOF tokKind = iota
	tokIdent
	tokString
	tokLParen
	tokRParen
	tokComma
)

func (k tokKind) String() string {
	return [...]string{"end of expression", "identifier", "string", "'('", "')'", "','"}[k]
}

type token struct {
	kind tokKind
	text string
	pos  int
}

func (t token) String() string {
	switch t.kind {
	case tokIdent:
		return fmt.Sprintf("%q", t.text)
	case tokString:
		return fmt.Sprintf("'%s'", t.text)
	}
	return t.kind.String()
}

func tokenize(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(':
			toks = append(toks, token{tokLParen, "(", i})
			i++
		case c == ')':
			toks = append(toks, token{tokRParen, ")", i})
			i++
		case c == ',':
			toks = append(toks, token{tokComma, ",", i})
			i++
		case c == '\'':
			start := i
			var b strings.Builder
			i++
			for {
				if i >= len(s) {
					return nil, fmt.Errorf("unterminated string starting at position %d", start)
				}
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' { // doubled quote
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(s[i])
				i++
			}
			toks = append(toks, token{tokString, b.String(), start})
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			start := i
			for i < len(s) && (s[i] == '_' || s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || s[i] >= '0' && s[i] <= '9') {
				i++
			}
			toks = append(toks, token{tokIdent, s[start:i], start})
		default:
			return nil, fmt.Errorf("unexpected character %q at position %d", c, i)
		}
	}
	return append(toks, token{tokEOF, "", len(s)}), nil
}
