/// A forward proxy: `http://[USER:PASSWORD@]HOST[:PORT]` (https then goes through it by
/// `CONNECT`) or `socks5://HOST[:PORT]`. The credentials are used, never printed:
/// ``description`` names only the host and port.
package struct ProxySettings: Sendable, Equatable, CustomStringConvertible, CustomReflectable {
    package enum Kind: Sendable, Equatable { case http, socks5 }

    package var kind: Kind
    package var host: String
    package var port: Int
    var username: String?
    var password: String?

    /// Where the proxy came from, for messages: `--proxy`, `HTTPS_PROXY`, a profile…
    package var source: String

    package var description: String { "proxy \(host):\(port) (from \(source))" }
    /// Dumps show no credentials either.
    package var customMirror: Mirror { Mirror(self, children: ["host": host, "port": port, "source": source]) }

    /// Parses a proxy URL as curl does: no scheme means `http://`, no port means 1080.
    package init(url text: String, source: String) throws(ConfigurationError) {
        var rest = Substring(text.trimmingWhitespace())
        self.source = source
        if let schemeEnd = rest.firstRange(of: "://") {
            switch rest[..<schemeEnd.lowerBound].lowercased() {
            case "http": kind = .http
            case "socks5", "socks5h": kind = .socks5
            case let other:
                throw ConfigurationError("\(source): a proxy URL must start with http:// or socks5://, not \(other)://")
            }
            rest = rest[schemeEnd.upperBound...]
        } else {
            kind = .http
        }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else {
                throw ConfigurationError("\(source): a proxy URL has no path; write it as http://HOST:PORT")
            }
            rest = rest[..<slash]
        }
        if let at = rest.lastIndex(of: "@") {
            let credentials = rest[..<at]
            rest = rest[rest.index(after: at)...]
            let user = credentials.prefix { $0 != ":" }
            username = Self.percentDecoded(user)
            password = credentials.count > user.count ? Self.percentDecoded(credentials.dropFirst(user.count + 1)) : ""
            guard kind == .http else {
                throw ConfigurationError("\(source): credentials are supported for http:// proxies only")
            }
        }
        let hostPart: Substring
        var portPart: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw ConfigurationError("\(source): the proxy's IPv6 address lacks its ]") }
            hostPart = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portPart = after.dropFirst() }
        } else if let colon = rest.lastIndex(of: ":") {
            hostPart = rest[..<colon]
            portPart = rest[rest.index(after: colon)...]
        } else {
            hostPart = rest
        }
        guard !hostPart.isEmpty else { throw ConfigurationError("\(source): the proxy URL has no host") }
        host = String(hostPart)
        if let portPart {
            guard let port = Int(portPart), (1...65535).contains(port) else {
                throw ConfigurationError("\(source): the proxy's port must be a number from 1 to 65535")
            }
            self.port = port
        } else {
            port = 1080
        }
    }

    /// Whether the proxy asks for credentials of its own.
    var hasCredentials: Bool { username != nil }

    /// The proxy for `server`: `--proxy` (`explicit`) else the environment as curl reads it
    /// (`https_proxy`/`HTTPS_PROXY` for https, `http_proxy`/`HTTP_PROXY` for http, skipped
    /// for hosts `no_proxy`/`NO_PROXY` names). Loopback hosts never use a proxy.
    ///
    /// https to an IP address through a proxy is refused: the TLS library checks the
    /// addresses a certificate names against the address it is connected to, which is the
    /// proxy's, so the server's certificate could not be verified.
    package static func select(
        for server: ServerAddress, explicit: ProxySettings?, environment: [String: String]
    ) throws(ConfigurationError) -> ProxySettings? {
        guard !ServerAddress.isLoopback(server.host) else { return nil }
        let proxy: ProxySettings
        if let explicit {
            proxy = explicit
        } else {
            let names = server.scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"]
            guard let name = names.first(where: { !(environment[$0] ?? "").isEmpty }), let value = environment[name] else {
                return nil
            }
            let bypass = environment["no_proxy"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["NO_PROXY"] ?? ""
            if NoProxyList(bypass).matches(server.host) { return nil }
            proxy = try ProxySettings(url: value, source: name)
        }
        if server.scheme == "https", ServerAddress.isIPAddress(server.host) {
            throw ConfigurationError(
                "cannot verify https://\(server.host) through \(proxy): a certificate for an IP address can only be checked on a direct connection; use the server's host name, or reach it directly (NO_PROXY=\(server.host))")
        }
        return proxy
    }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
                let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
