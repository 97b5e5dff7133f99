import LabelPortCore

/// Where a command connects and how, once flags, `REFACTOR_*` and the profile are
/// combined (flags and variables win over the profile).
struct ResolvedConnection: Sendable {
    var server: ServerAddress
    var token: APIToken
    /// Trusted in addition to the system's roots (PEM).
    var caFile: String?
    var proxy: String?
    /// The profile's defaults for `--concurrency` and `--rate`.
    var concurrency: Int?
    var rate: Double?
    /// The profile in use, if any.
    var profileName: String?

    init(server: ServerAddress, token: APIToken, profile: Profile?) {
        self.server = server
        self.token = token
        self.caFile = profile?.caFile
        self.proxy = profile?.proxy
        self.concurrency = profile?.concurrency
        self.rate = profile?.rate
        self.profileName = profile?.name
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
}
