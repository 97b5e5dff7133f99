/// Where requests go, taken apart from a ``ServerAddress``: what to connect to, the
/// `Host` header, and the path prefix every request path is appended to.
struct HTTPEndpoint: Sendable, Equatable {
    var tls: Bool
    /// The host to connect to and to name in SNI: an IPv6 literal without brackets.
    var host: String
    var port: Int
    /// `host[:port]` as the `Host` header carries it.
    var hostHeader: String
    /// The base URL's path, without a trailing slash ("" for the server root).
    var pathPrefix: String

    init(_ address: ServerAddress) throws(ConfigurationError) {
        tls = address.scheme == "https"
        let rest = address.baseURL.dropFirst(address.scheme.count + 3)
        let authority = rest.prefix { $0 != "/" }
        pathPrefix = String(rest.dropFirst(authority.count))
        hostHeader = String(authority)
        var portText: Substring = ""
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else {
                throw ConfigurationError("base URL \"\(address.baseURL)\" has an unclosed [ in its host")
            }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw ConfigurationError("base URL \"\(address.baseURL)\" has text after its IPv6 host")
            }
        } else if let colon = authority.firstIndex(of: ":") {
            host = String(authority[..<colon])
            portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        if portText.isEmpty {
            port = tls ? 443 : 80
        } else {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw ConfigurationError("base URL \"\(address.baseURL)\" has an invalid port \"\(portText)\"")
            }
            self.port = port
        }
    }
}
