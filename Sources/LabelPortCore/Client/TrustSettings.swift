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
    /// The files trusted, as messages name them (`--ca-file PATH`, `SSL_CERT_FILE PATH`).
    var files: [String] = []

    package init() {}

    /// - Parameters:
    ///   - caFile: `--ca-file` (or a profile's `ca_file`).
    ///   - caFileSource: where `caFile` was given, as messages name it.
    ///   - environment: where `SSL_CERT_FILE` is looked up.
    package init(caFile: String?, caFileSource: String = "--ca-file", environment: [String: String]) throws(ConfigurationError) {
        if let bundlePath = environment["SSL_CERT_FILE"], !bundlePath.isEmpty {
            bundle = try Self.load(bundlePath, named: "SSL_CERT_FILE")
            files.append("SSL_CERT_FILE \(bundlePath)")
        }
        if let caFile {
            additional = try Self.load(caFile, named: caFileSource)
            files.append("\(caFileSource) \(caFile)")
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
    /// Why a certificate of `server` (`host:port`) may not be trusted, and what to do,
    /// to follow "the certificate of SERVER is not trusted".
    func untrustedReason(server: String) -> String {
        guard !files.isEmpty else {
            return " (signed by an unknown authority, expired or not valid yet); "
                + "if the server uses a private CA, pass --ca-file PATH with its certificate (PEM) or set SSL_CERT_FILE to a bundle that holds it"
        }
        return ": no CA in \(files.joined(separator: " or ")) signed it, or it has expired or is not valid yet "
            + "(`openssl s_client -connect \(server) -showcerts` shows its issuer and dates)"
    }
}
