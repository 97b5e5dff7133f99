@testable import LabelPortCore
import Testing

/// Which proxy a server goes through, read from `--proxy` and the environment as curl reads it.
@Suite("Proxy settings", .timeLimit(.minutes(1)))
struct ProxySettingsTests {
    static let api = try! ServerAddress("https://api.example.com")
    static let plainAPI = try! ServerAddress("http://api.example.com", allowInsecureHTTP: true)

    @Test("a proxy URL: scheme, credentials (percent-decoded), host, port (curl's default 1080)")
    func parse() throws {
        let full = try ProxySettings(url: "http://user%40corp:p%3Ass@proxy.corp:3128/", source: "--proxy")
        #expect(full.kind == .http && full.host == "proxy.corp" && full.port == 3128)
        #expect(full.username == "user@corp" && full.password == "p:ss")
        #expect(full.description == "proxy proxy.corp:3128 (from --proxy)")
        #expect(!String(reflecting: full).contains("p:ss") && !String(describing: full).contains("user"))
        let bare = try ProxySettings(url: "proxy.corp", source: "HTTPS_PROXY")
        #expect(bare.kind == .http && bare.port == 1080 && bare.username == nil)
        #expect(try ProxySettings(url: "socks5://[::1]:9050", source: "x").host == "::1")
        #expect(throws: ConfigurationError("--proxy: a proxy URL must start with http:// or socks5://, not ftp://")) {
            try ProxySettings(url: "ftp://proxy:21", source: "--proxy")
        }
        #expect(throws: ConfigurationError("--proxy: the proxy's port must be a number from 1 to 65535")) {
            try ProxySettings(url: "http://proxy:99999", source: "--proxy")
        }
    }

    @Test("https uses https_proxy / HTTPS_PROXY, http uses http_proxy / HTTP_PROXY, lower case first")
    func environment() throws {
        let env = ["HTTPS_PROXY": "http://upper:1", "https_proxy": "http://lower:2", "HTTP_PROXY": "http://plain:3"]
        #expect(try ProxySettings.select(for: Self.api, explicit: nil, environment: env)?.host == "lower")
        #expect(try ProxySettings.select(for: Self.api, explicit: nil, environment: ["HTTPS_PROXY": "http://upper:1"])?.source == "HTTPS_PROXY")
        #expect(try ProxySettings.select(for: Self.plainAPI, explicit: nil, environment: env)?.host == "plain")
        #expect(try ProxySettings.select(for: Self.api, explicit: nil, environment: ["HTTP_PROXY": "http://plain:3"]) == nil)
        let explicit = try ProxySettings(url: "http://flag:4", source: "--proxy")
        #expect(try ProxySettings.select(for: Self.api, explicit: explicit, environment: env)?.host == "flag")
    }

    /// The TLS library matches a certificate's IP addresses against the address it is
    /// connected to, which through a proxy is the proxy's: https to an IP address is only
    /// verified right on a direct connection.
    @Test("https to an IP address through a proxy is refused, saying why and what to do; plain http and NO_PROXY are not")
    func ipAddressThroughProxy() throws {
        let proxy = ["HTTPS_PROXY": "http://proxy:3128", "HTTP_PROXY": "http://proxy:3128"]
        for host in ["192.0.2.2", "[2001:db8::1]"] {
            let server = try ServerAddress("https://\(host):8443")
            #expect(throws: ConfigurationError(
                "cannot verify https://\(server.host) through proxy proxy:3128 (from HTTPS_PROXY): a certificate for an IP address can only be checked on a direct connection; use the server's host name, or reach it directly (NO_PROXY=\(server.host))")) {
                try ProxySettings.select(for: server, explicit: nil, environment: proxy)
            }
            #expect(try ProxySettings.select(for: server, explicit: nil, environment: proxy.merging(["NO_PROXY": server.host]) { $1 }) == nil)
        }
        let plain = try ServerAddress("http://192.0.2.2:8080", allowInsecureHTTP: true)
        #expect(try ProxySettings.select(for: plain, explicit: nil, environment: proxy)?.host == "proxy")
        #expect(try ProxySettings.select(for: Self.api, explicit: nil, environment: proxy)?.host == "proxy")
    }

    @Test("NO_PROXY: names, domain suffixes, a leading dot, ports ignored, *, CIDR ranges; loopback never proxied")
    func bypass() throws {
        let proxy = ["HTTPS_PROXY": "http://proxy:3128"]
        func via(_ host: String, _ noProxy: String) throws -> Bool {
            try ProxySettings.select(for: ServerAddress("https://\(host)"), explicit: nil, environment: proxy.merging(["NO_PROXY": noProxy]) { $1 }) != nil
        }
        #expect(try !via("api.example.com", "example.com"))
        #expect(try !via("api.example.com", ".example.com"))
        #expect(try !via("API.Example.com", "other.org, example.com:443"))
        #expect(try via("api.example.com.evil.org", "example.com"))
        #expect(try via("notexample.com", "example.com"))
        #expect(try !via("anything.org", "*"))
        #expect(try !via("10.1.2.3", "10.1.2.3"))
        // CIDR ranges, as curl reads them (plain http: https to an address is never proxied).
        func viaHTTP(_ host: String, _ noProxy: String) throws -> Bool {
            try ProxySettings.select(for: ServerAddress("http://\(host)", allowInsecureHTTP: true), explicit: nil, environment: ["HTTP_PROXY": "http://proxy:3128", "NO_PROXY": noProxy]) != nil
        }
        #expect(try !viaHTTP("192.0.2.77", "192.0.2.0/24"))
        #expect(try viaHTTP("192.0.3.1", "192.0.2.0/24"))
        #expect(try !viaHTTP("10.200.0.1", "10.0.0.0/8"))
        #expect(try viaHTTP("11.0.0.1", "10.0.0.0/8"))
        #expect(try !viaHTTP("192.0.2.9", "192.0.2.9/32"))
        #expect(try !viaHTTP("[2001:db8::1]", "2001:db8::/32"))
        #expect(try viaHTTP("[2001:db9::1]", "2001:db8::/32"))
        #expect(try via("api.example.com", "192.0.2.0/24"), "a name is not an address in the range")
        #expect(try ProxySettings.select(for: ServerAddress("https://localhost:8443"), explicit: nil, environment: proxy) == nil)
        let explicit = try ProxySettings(url: "http://flag:4", source: "--proxy")
        #expect(try ProxySettings.select(for: ServerAddress("http://127.0.0.1:8787"), explicit: explicit, environment: [:]) == nil)
        #expect(try ProxySettings.select(for: Self.api, explicit: nil, environment: proxy.merging(["no_proxy": "example.com"]) { $1 }) == nil)
    }
}
