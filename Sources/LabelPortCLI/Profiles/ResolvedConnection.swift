import LabelPortCore

/// Where a command connects and how, once flags, `REFACTOR_*` and the profile are
/// combined (flags and variables win over the profile).
struct ResolvedConnection: Sendable {
    var server: ServerAddress
    var token: APIToken
    /// Trusted in addition to the system's roots (PEM), and where it was given
    /// (`--ca-file`, a profile's `ca_file`), for messages.
    var caFile: (path: String, source: String)?
    /// A proxy URL and where it was given (`--proxy`, a profile); else the environment's.
    var proxy: (url: String, source: String)?
    /// How long a request may go without progress.
    var timeout: Duration = .seconds(30)
    /// The profile's defaults for `--concurrency` and `--rate`.
    var concurrency: Int?
    var rate: Double?
    /// The profile in use, if any, and how messages name it (`profile "prod" (FILE)`).
    var profileName: String?
    var profileLabel: String?

    init(server: ServerAddress, token: APIToken, profile: Profile?) {
        self.server = server
        self.token = token
        self.caFile = profile.flatMap { profile in profile.caFile.map { ($0, "\(profile.label): ca_file") } }
        self.proxy = profile.flatMap { profile in profile.proxy.map { ($0, "\(profile.label)") } }
        self.concurrency = profile?.concurrency
        self.rate = profile?.rate
        self.profileName = profile?.name
        self.profileLabel = profile?.label
    }

    /// A named profile exactly as written, no flag or variable applied (`copy --from/--to`).
    init(profile: Profile, environment: [String: String]) throws(ConfigurationError) {
        guard let urlText = profile.baseURL else {
            throw ConfigurationError("\(profile.label) has no base_url")
        }
        let server: ServerAddress
        do { server = try ServerAddress(urlText, allowInsecureHTTP: profile.allowInsecureHTTP ?? false) } catch {
            throw ConfigurationError("\(profile.label): \(error.message)")
        }
        self.init(server: server, token: try profile.token(environment: environment), profile: profile)
    }

    /// The client's settings: trust (`ca_file`, `SSL_CERT_FILE`), proxy (given, else the
    /// environment's), timeout.
    func clientConfiguration(concurrency: Int, environment: [String: String]) throws(ConfigurationError) -> RefactorClient.Configuration {
        var configuration = RefactorClient.Configuration(server: server, token: token, concurrency: concurrency, requestTimeout: timeout)
        configuration.trust = try TrustSettings(caFile: caFile?.path, caFileSource: caFile?.source ?? "--ca-file", environment: environment)
        let explicit = try proxy.map { given throws(ConfigurationError) in try ProxySettings(url: given.url, source: given.source) }
        configuration.proxy = try ProxySettings.select(for: server, explicit: explicit, environment: environment)
        return configuration
    }
}
