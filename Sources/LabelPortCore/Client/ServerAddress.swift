/// The API's base URL, checked: `http` or `https`, a host, no query; plain `http`
/// only for loopback hosts unless insecure HTTP is explicitly allowed.
package struct ServerAddress: Sendable, Equatable, CustomStringConvertible {
    /// Scheme, host and port, and any path prefix, without a trailing slash.
    package let baseURL: String
    package let scheme: String
    package let host: String
    /// The port, explicit or the scheme's.
    package let port: Int

    package var description: String { baseURL }

    /// `host:port`, as messages name the server.
    package var hostAndPort: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    package init(_ text: String, allowInsecureHTTP: Bool = false) throws(ConfigurationError) {
        var url = text.trimmingWhitespace()
        while url.hasSuffix("/") { url.removeLast() }
        guard let schemeEnd = url.firstRange(of: "://") else {
            throw ConfigurationError("base URL \"\(text)\" has no scheme; write it as https://HOST")
        }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            throw ConfigurationError("base URL \"\(text)\" must start with https:// (or http:// for a local server)")
        }
        let rest = url[schemeEnd.upperBound...]
        guard !rest.contains("?"), !rest.contains("#") else {
            throw ConfigurationError("base URL \"\(text)\" must not have a query or fragment")
        }
        if rest.contains("@") {
            throw ConfigurationError("base URL must not carry credentials; use REFACTOR_API_TOKEN or --token-file")
        }
        let authority = rest.prefix { $0 != "/" }
        let host: String
        if authority.hasPrefix("[") {
            guard authority.contains("]") else { throw ConfigurationError("base URL \"\(text)\" opens an IPv6 address with [ but does not close it with ]") }
            host = String(authority.dropFirst().prefix { $0 != "]" })
            guard host.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw ConfigurationError("base URL \"\(text)\" has an invalid IPv6 address \"\(host)\"")
            }
        } else {
            host = String(authority.prefix { $0 != ":" })
            // Letters of any script (an international name) and percent-escapes are fine;
            // spaces, controls and URL delimiters are not.
            guard !host.unicodeScalars.contains(where: { $0.properties.isWhitespace || $0.value < 0x20 || "\"<>\\^`{|}[]".unicodeScalars.contains($0) }) else {
                throw ConfigurationError("base URL \"\(text)\" has an invalid host \"\(host)\"")
            }
        }
        guard !host.isEmpty else { throw ConfigurationError("base URL \"\(text)\" has no host") }
        let portText = authority.hasPrefix("[")
            ? authority.drop { $0 != "]" }.dropFirst().drop { $0 == ":" }
            : authority.drop { $0 != ":" }.dropFirst()
        if portText.isEmpty {
            port = scheme == "https" ? 443 : 80
        } else if let number = Int(portText), (1...65535).contains(number) {
            port = number
        } else {
            throw ConfigurationError("base URL \"\(text)\" has an invalid port \"\(portText)\"")
        }
        let path = rest.dropFirst(authority.count)
        if path.lowercased().hasSuffix("/v1") {
            throw ConfigurationError(
                "base URL \"\(text)\" ends in /v1, but labelport adds /v1/... itself: give the server root, e.g. \(scheme)://\(authority)\(path.dropLast(3))"
            )
        }
        if scheme == "http" && !allowInsecureHTTP && !ServerAddress.isLoopback(host) {
            throw ConfigurationError(
                "refusing plain http:// to \(host): the token would cross the network unencrypted; use https:// or pass --allow-insecure-http"
            )
        }
        self.baseURL = scheme + "://" + rest
        self.scheme = scheme
        self.host = host.lowercased()
    }

    /// True when `host` is an IP address (IPv4 dotted, or IPv6, with or without brackets),
    /// not a name.
    package static func isIPAddress(_ host: String) -> Bool {
        if host.contains(":") { return true }  // only IPv6 addresses hold a colon (the port is apart)
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { UInt8($0) != nil }
    }

    package static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h.hasSuffix(".localhost") || h == "::1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}

/// A problem with how labelport was set up (base URL, token): a usage error, exit 64.
package struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
