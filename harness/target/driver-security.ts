// A ClientConnection as the driver protocol's init carries it (protocol 2, docs/client-drivers.md):
// plain data with the PEM texts themselves, so a driver in any language reads no file and parses no
// JAAS line. It travels only on the driver's stdin.
import type { DriverSecurity } from '../clients/driver/protocol.ts';
import type { ClientConnection } from './client-config.ts';

export function driverSecurity(c: ClientConnection): DriverSecurity {
  return {
    protocol: c.securityProtocol,
    sasl: c.sasl ? { mechanism: c.sasl.mechanism, username: c.sasl.username, password: c.sasl.password } : null,
    tls: c.tls ? { ca_pem: c.tls.ca, cert_pem: c.tls.cert, key_pem: c.tls.key, key_password: c.tls.keyPassword, verify_hostname: c.tls.verifyHostname } : null,
  };
}
