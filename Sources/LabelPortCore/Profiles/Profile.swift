/// One `[profiles.NAME]` table of the config file: a named environment.
package struct Profile: Sendable, Equatable {
    package var name: String
    /// The config file it was read from (messages name it).
    package var file: String
    package var baseURL: String?
    package var tokenSource: TokenSource?
    /// Paths as written, with `~/` expanded and relative paths taken from the file's folder.
    package var caFile: String?
    package var proxy: String?
    package var allowInsecureHTTP: Bool?
    package var concurrency: Int?
    package var rate: Double?

    package init(name: String, file: String) {
        self.name = name
        self.file = file
    }

    /// The keys a profile may hold.
    package static let keys = [
        "base_url", "token_env", "token_file", "token_command", "ca_file", "proxy", "allow_insecure_http", "concurrency", "rate",
    ]
}
