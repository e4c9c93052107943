import NIOSSL

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PGConfig {
    /// The TLS setup for connecting to `host`, as libpq reads `sslmode`, `sslrootcert`,
    /// `sslcert`, `sslkey` and `sslsni`; `nil` when `sslmode=disable`.
    ///
    /// - `require` without a root certificate checks nothing (encryption only); with a root
    ///   certificate file present it checks the chain, like `verify-ca` (libpq's rule).
    /// - `verify-ca` checks the chain; `verify-full` also the host name (or the IP address).
    /// - The default files are `~/.postgresql/root.crt`, `postgresql.crt` and `postgresql.key`.
    ///
    /// - Throws: ``PGError`` of kind ``PGError/Kind/configuration`` when a named file is missing
    ///   or unreadable, or `verify-*` is asked for without a root certificate.
    func tlsSetup(for host: Host, homeDirectory: String?) throws(PGError) -> PGTLSSetup? {
        guard sslMode != .disable, !host.isUnixSocket else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        let defaults = homeDirectory.map { $0 + "/.postgresql/" }

        let rootCert: SSLRootCert?
        if let sslRootCert {
            rootCert = sslRootCert
        } else if let defaults, FileManager.default.fileExists(atPath: defaults + "root.crt") {
            rootCert = .file(defaults + "root.crt")
        } else {
            rootCert = nil
        }
        switch (sslMode, rootCert) {
        case (.verifyCA, nil), (.verifyFull, nil):
            throw PGError(
                .configuration,
                message: "sslmode=\(sslMode.rawValue) needs a root certificate: set sslrootcert (a file, or system) or create ~/.postgresql/root.crt",
                requestWasSent: false)
        case (.verifyFull, _) where Host.isNumericAddress(host.hostaddr ?? host.host) && host.hostaddr == nil:
            tls.certificateVerification = .fullVerification  // the IP address is checked by NIOSSL
        case (.verifyFull, _):
            tls.certificateVerification = .noHostnameVerification  // the name: PGTLSSetup
        case (.verifyCA, _), (.require, .some):
            tls.certificateVerification = .noHostnameVerification
        default:
            tls.certificateVerification = .none
        }
        switch rootCert {
        case .file(let path):
            guard FileManager.default.isReadableFile(atPath: path) else {
                throw PGError(.configuration, message: "sslrootcert: cannot read \(path)", requestWasSent: false)
            }
            tls.trustRoots = .file(path)
        case .system, nil:
            tls.trustRoots = .default
        }

        let certPath = sslCert ?? defaults.map { $0 + "postgresql.crt" }
        let keyPath = sslKey ?? defaults.map { $0 + "postgresql.key" }
        if let certPath, FileManager.default.fileExists(atPath: certPath) {
            guard let keyPath, FileManager.default.isReadableFile(atPath: keyPath) else {
                throw PGError(.configuration, message: "sslkey: no readable key for the client certificate \(certPath)", requestWasSent: false)
            }
            do {
                tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certPath).map { .certificate($0) }
                if let passphrase = sslPassword {
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem) { setPassphrase in
                        setPassphrase(Array(passphrase.utf8))
                    })
                } else {
                    tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: keyPath, format: .pem))
                }
            } catch {
                throw PGError(.configuration, message: "sslcert/sslkey: cannot load \(certPath) or its key: \(error)", requestWasSent: false)
            }
        } else if sslCert != nil {
            throw PGError(.configuration, message: "sslcert: \(certPath ?? "") does not exist", requestWasSent: false)
        }

        do {
            let context = try NIOSSLContext(configuration: tls)
            // SNI and host name checks take a name; an IP address is checked against the peer's
            // address instead, and sslsni=0 sends no name.
            let isName = !Host.isNumericAddress(host.host)
            return PGTLSSetup(
                context: context, serverHostname: isName && sslSNI ? host.host : nil,
                expectedHostName: sslMode == .verifyFull && isName ? host.host : nil)
        } catch {
            throw PGError(.configuration, message: "TLS setup failed: \(error)", requestWasSent: false)
        }
    }
}
