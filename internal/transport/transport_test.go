package transport

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// server is a TLS server with a certificate authority of its own (all
// httptest servers share one certificate, which would prove nothing here).
type server struct {
	*httptest.Server
	caPEM []byte
}

func pemOf(srv *server) []byte { return srv.caPEM }

func writeFile(t *testing.T, content []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func newServer(t *testing.T) *server {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA " + t.Name()},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {}))
	srv.TLS = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return &server{srv, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func get(rt http.RoundTripper, url string) error {
	res, err := (&http.Client{Transport: rt}).Get(url)
	if err == nil {
		_ = res.Body.Close()
	}
	return err
}

// A bundle's every certificate is trusted, next to the system's, and the
// connection pool stays sized for Terraform's parallelism.
func TestCertPoolTrustsEveryCertificateOfABundle(t *testing.T) {
	a, b := newServer(t), newServer(t)
	bundle := append(append(pemOf(a), []byte("# a comment between blocks\n")...), pemOf(b)...)
	bundle = append(bundle, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("ignored")})...)
	pool, n, err := CertPool(writeFile(t, bundle))
	if err != nil || n != 2 {
		t.Fatalf("CertPool = %d certificates, %v; want 2", n, err)
	}
	rt := New(Options{RootCAs: pool, UntrustedHint: "hint"})
	for _, srv := range []*server{a, b} {
		if err := get(rt, srv.URL); err != nil {
			t.Errorf("GET %s: %v", srv.URL, err)
		}
	}
	tr := New(Options{RootCAs: pool}).(*http.Transport)
	if tr.MaxIdleConnsPerHost != IdleConnsPerHost || tr.Proxy == nil {
		t.Errorf("MaxIdleConnsPerHost = %d, proxy from environment = %v", tr.MaxIdleConnsPerHost, tr.Proxy != nil)
	}
	// Added to the system's authorities, not instead of them (where Go can
	// count them: on macOS and Windows the platform verifier holds them).
	if system, err := x509.SystemCertPool(); err == nil && runtime.GOOS == "linux" {
		//nolint:staticcheck // Subjects is fine for counting a Linux pool
		if got, want := len(pool.Subjects()), len(system.Subjects())+2; got != want {
			t.Errorf("the pool has %d authorities, want the system's plus 2 = %d", got, want)
		}
	}
}

func TestUntrustedServerErrorSaysHowToTrustIt(t *testing.T) {
	srv := newServer(t)
	err := get(New(Options{UntrustedHint: "set ca_cert_file"}), srv.URL)
	if err == nil || !strings.Contains(err.Error(), "set ca_cert_file") || !strings.Contains(err.Error(), srv.Listener.Addr().String()) {
		t.Fatalf("err = %v, want the hint and the host", err)
	}
	var unknown x509.UnknownAuthorityError
	if !errors.As(err, &unknown) {
		t.Errorf("the hint hides the certificate error from errors.As: %v", err)
	}
	// Another server's CA does not help, and the error still says what to do.
	other := newServer(t)
	pool, _, err := CertPool(writeFile(t, pemOf(other)))
	if err != nil {
		t.Fatal(err)
	}
	if err := get(New(Options{RootCAs: pool, UntrustedHint: "add it"}), srv.URL); err == nil || !strings.Contains(err.Error(), "add it") {
		t.Errorf("err = %v", err)
	}
}

func TestCertPoolErrors(t *testing.T) {
	srv := newServer(t)
	broken := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte("not DER")})
	cases := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(t.TempDir(), "nope.pem"), "does not exist"},
		{"directory", t.TempDir(), "cannot be read"},
		{"empty", writeFile(t, nil), "holds no PEM certificate"},
		{"DER instead of PEM", writeFile(t, derOf(t, srv)), "openssl x509 -inform der"},
		{"only a key", writeFile(t, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: []byte("k")})), "holds no PEM certificate"},
		{"broken certificate", writeFile(t, append(pemOf(srv), broken...)), "block 2 of"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pool, _, err := CertPool(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) || pool != nil {
				t.Fatalf("err = %v, want it to say %q", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.path) {
				t.Errorf("err = %v, want it to name the file", err)
			}
		})
	}
}

func derOf(t *testing.T, srv *server) []byte {
	t.Helper()
	block, _ := pem.Decode(srv.caPEM)
	return block.Bytes
}
