/// One `[profiles.NAME]` table of the config file: a named environment.
public struct Profile: Sendable, Equatable {
    public var name: String
    /// The config file it was read from (messages name it).
    public var file: String
    public var baseURL: String?
    public var tokenSource: TokenSource?
    /// Paths as written, with `~/` expanded and relative paths taken from the file's folder.
    public var caFile: String?
    public var proxy: String?
    public var allowInsecureHTTP: Bool?
    public var concurrency: Int?
    public var rate: Double?

    public init(name: String, file: String) {
        self.name = name
        self.file = file
    }

    /// The keys a profile may hold.
    public static let keys = [
        "base_url", "token_env", "token_file", "token_command", "ca_file", "proxy", "allow_insecure_http", "concurrency", "rate",
    ]
}
