import NIOSSL

/// Which certificate authorities https trusts: the system's roots, or the bundle
/// `SSL_CERT_FILE` names (as OpenSSL and curl read it), plus the PEM file `--ca-file`
/// names (a private CA). Files are read once, up front, so a bad path is a usage error
/// before any request.
package struct TrustSettings: Sendable {
    /// Certificates trusted instead of the system's roots (`SSL_CERT_FILE`).
    var bundle: [NIOSSLCertificate]?
    /// Certificates trusted besides the roots (`--ca-file`).
    var additional: [NIOSSLCertificate] = []

    package init() {}

    /// - Parameters:
    ///   - caFile: `--ca-file` (or a profile's `ca_file`).
    ///   - caFileSource: where `caFile` was given, as messages name it.
    ///   - environment: where `SSL_CERT_FILE` is looked up.
    package init(caFile: String?, caFileSource: String = "--ca-file", environment: [String: String]) throws(ConfigurationError) {
        if let bundlePath = environment["SSL_CERT_FILE"], !bundlePath.isEmpty {
            bundle = try Self.load(bundlePath, named: "SSL_CERT_FILE")
        }
        if let caFile {
            additional = try Self.load(caFile, named: caFileSource)
        }
    }

    /// A PEM file's certificates, at least one.
    static func load(_ path: String, named name: String) throws(ConfigurationError) -> [NIOSSLCertificate] {
        let bytes: [UInt8]
        do { bytes = try FileText.readBytes(path) } catch {
            throw ConfigurationError("\(name) \(path): cannot read it (\(error.reason))")
        }
        guard let certificates = try? NIOSSLCertificate.fromPEMBytes(bytes), !certificates.isEmpty else {
            throw ConfigurationError("\(name) \(path) holds no PEM certificate (it should hold lines like -----BEGIN CERTIFICATE-----)")
        }
        return certificates
    }

    /// The client side of TLS: full verification (chain to a trusted root, host name).
    func tlsConfiguration() -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.certificateVerification = .fullVerification
        if let bundle { tls.trustRoots = .certificates(bundle) }
        if !additional.isEmpty { tls.additionalTrustRoots = [.certificates(additional)] }
        return tls
    }

    /// Where a user can add the CA that signed an untrusted certificate.
    var advice: String {
        "if the server uses a private CA, pass --ca-file PATH with its certificate (PEM) or set SSL_CERT_FILE to a bundle that holds it"
    }
}
