// Package transport builds the one HTTP transport that every client of the
// provider shares: the Entropy Data client, MSAL's calls to Microsoft Entra ID
// and the Power BI client. It trusts the operating system's certificate
// authorities plus any extra ones from a PEM file, so a self-hosted instance
// or proxy behind a private CA (or the sandbox) works the same on Linux,
// macOS and Windows. Go reads SSL_CERT_FILE on Linux only, and there it
// replaces the system's authorities instead of adding to them.
package transport

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"os"
)

// IdleConnsPerHost keeps a connection for each of Terraform's parallel
// operations (-parallelism, 10 by default) and some to spare: with Go's
// default of 2, most requests paid a new TLS handshake.
const IdleConnsPerHost = 32

// Options configure New.
type Options struct {
	// RootCAs are the trusted certificate authorities; nil means the
	// system's. Build it with CertPool to add a private CA.
	RootCAs *x509.CertPool
	// UntrustedHint is appended to the error of a request whose server
	// certificate is signed by an unknown authority, to say how to trust it.
	UntrustedHint string
}

// New returns a transport with proxy settings from the environment, a
// connection pool sized for Terraform's parallelism and the given trust.
func New(o Options) http.RoundTripper {
	tr := http.DefaultTransport.(*http.Transport).Clone() //nolint:forcetypeassert // net/http documents DefaultTransport as a *Transport
	tr.MaxIdleConnsPerHost = IdleConnsPerHost
	if o.RootCAs != nil {
		tr.TLSClientConfig = &tls.Config{RootCAs: o.RootCAs, MinVersion: tls.VersionTLS12}
	}
	if o.UntrustedHint == "" {
		return tr
	}
	return hinting{tr, o.UntrustedHint}
}

// CertPool returns the system's certificate authorities plus every
// certificate in the PEM file at path (a bundle may hold several). It also
// returns how many certificates the file added.
func CertPool(path string) (*x509.CertPool, int, error) {
	certs, err := ReadCertificates(path)
	if err != nil {
		return nil, 0, err
	}
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		// No system store (rare); the file's authorities alone still work.
		pool = x509.NewCertPool()
	}
	for _, c := range certs {
		pool.AddCert(c)
	}
	return pool, len(certs), nil
}

// ReadCertificates parses every CERTIFICATE block of a PEM file. Other
// blocks (a key someone bundled) are skipped; a file without a certificate,
// or with a certificate that does not parse, is an error that says so.
func ReadCertificates(path string) ([]*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("the file %q does not exist", path)
	case err != nil:
		return nil, fmt.Errorf("the file %q cannot be read: %w", path, err)
	}
	var certs []*x509.Certificate
	for rest, n := data, 1; ; n++ {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("block %d of %q is not a valid certificate: %w", n, path, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		return nil, fmt.Errorf("the file %q holds no PEM certificate (a block starting with "+
			"-----BEGIN CERTIFICATE-----); a DER file (.cer, .crt) converts with "+
			"`openssl x509 -inform der -in ca.cer -out ca.pem`", path)
	}
	return certs, nil
}

// hinting adds advice to a certificate error from an unknown authority.
type hinting struct {
	next http.RoundTripper
	hint string
}

func (h hinting) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := h.next.RoundTrip(req)
	var unknown x509.UnknownAuthorityError
	if err != nil && errors.As(err, &unknown) {
		return res, &untrustedError{err: err, host: req.URL.Host, hint: h.hint}
	}
	return res, err
}

type untrustedError struct {
	err  error
	host string
	hint string
}

func (e *untrustedError) Error() string {
	return fmt.Sprintf("%v (%s presents a certificate from an authority this machine does not trust; %s)", e.err, e.host, e.hint)
}

func (e *untrustedError) Unwrap() error { return e.err }

// CloseIdleConnections lets http.Client.CloseIdleConnections reach the pool.
func (h hinting) CloseIdleConnections() {
	if c, ok := h.next.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}
