package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/plain"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// securityOpts turns protocol 2's `security` (docs/client-drivers.md) into kgo options that every
// client of the run gets: TLS from PEM texts (the driver reads no file) and SASL PLAIN or SCRAM.
func securityOpts(given any) ([]kgo.Opt, error) {
	sec, ok := given.(map[string]any)
	if !ok {
		return nil, nil
	}
	var opts []kgo.Opt
	protocol, _ := sec["protocol"].(string)
	if protocol == "SSL" || protocol == "SASL_SSL" {
		cfg, err := tlsConfig(sec["tls"])
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(cfg))
	}
	if s, ok := sec["sasl"].(map[string]any); ok && (protocol == "SASL_PLAINTEXT" || protocol == "SASL_SSL") {
		user, _ := s["username"].(string)
		pass, _ := s["password"].(string)
		switch s["mechanism"] {
		case "PLAIN":
			opts = append(opts, kgo.SASL(plain.Auth{User: user, Pass: pass}.AsMechanism()))
		case "SCRAM-SHA-256":
			opts = append(opts, kgo.SASL(scram.Auth{User: user, Pass: pass}.AsSha256Mechanism()))
		case "SCRAM-SHA-512":
			opts = append(opts, kgo.SASL(scram.Auth{User: user, Pass: pass}.AsSha512Mechanism()))
		default:
			return nil, fmt.Errorf("unsupported SASL mechanism %v", s["mechanism"])
		}
	}
	return opts, nil
}

func tlsConfig(given any) (*tls.Config, error) {
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	t, _ := given.(map[string]any)
	if ca, ok := t["ca_pem"].(string); ok {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM([]byte(ca)) {
			return nil, errors.New("tls.ca_pem holds no certificate")
		}
		cfg.RootCAs = pool
	}
	cert, hasCert := t["cert_pem"].(string)
	key, hasKey := t["key_pem"].(string)
	if hasCert && hasKey {
		if pass, ok := t["key_password"].(string); ok && pass != "" {
			return nil, errors.New("an encrypted client key (tls.key_password) is not supported by the franz-go driver; decrypt it (openssl pkey -in key.pem -out plain.pem)")
		}
		pair, err := tls.X509KeyPair([]byte(cert), []byte(key))
		if err != nil {
			return nil, fmt.Errorf("tls client certificate: %w", err)
		}
		cfg.Certificates = []tls.Certificate{pair}
	}
	if t["verify_hostname"] == false {
		// The chain is still verified against the CAs; only the host name check is skipped, as
		// ssl.endpoint.identification.algorithm= does in the Java client.
		cfg.InsecureSkipVerify = true
		roots := cfg.RootCAs
		cfg.VerifyPeerCertificate = func(raw [][]byte, _ [][]*x509.Certificate) error {
			certs := make([]*x509.Certificate, len(raw))
			for i, r := range raw {
				c, err := x509.ParseCertificate(r)
				if err != nil {
					return err
				}
				certs[i] = c
			}
			if len(certs) == 0 {
				return errors.New("the broker sent no certificate")
			}
			inter := x509.NewCertPool()
			for _, c := range certs[1:] {
				inter.AddCert(c)
			}
			_, err := certs[0].Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
			return err
		}
	}
	return cfg, nil
}
