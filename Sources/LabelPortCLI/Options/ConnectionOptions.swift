import ArgumentParser
import Foundation
import LabelPortCore

/// Where the API is and how to authenticate: shared by every command that talks to it.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .customLong("base-url"), help: ArgumentHelp("The API's root URL, e.g. https://api.example.com (default: $REFACTOR_BASE_URL).", valueName: "URL"))
    var baseURL: String?

    @Option(name: .customLong("token-file"), help: ArgumentHelp("Read the API token from the first line of this file (default: $REFACTOR_API_TOKEN).", valueName: "PATH"))
    var tokenFile: String?

    @Flag(name: .customLong("allow-insecure-http"), help: "Allow plain http:// to a host that is not loopback (sends the token unencrypted).")
    var allowInsecureHTTP = false

    @Option(help: ArgumentHelp("Use this profile of the config file (default: $LABELPORT_PROFILE); flags and REFACTOR_* variables override its values.", valueName: "NAME"))
    var profile: String?

    @Option(name: .customLong("ca-file"), help: ArgumentHelp("Also trust the CA certificates in this PEM file (a private CA); $SSL_CERT_FILE replaces the system's roots.", valueName: "PATH"))
    var caFile: String?

    @Option(help: ArgumentHelp("Go through this proxy: http://[USER:PASSWORD@]HOST:PORT (default: the profile's proxy, else $HTTPS_PROXY / $HTTP_PROXY minus $NO_PROXY; never for loopback).", valueName: "URL"))
    var proxy: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("Seconds a request may go without progress (connecting, or no byte received) before it times out.", valueName: "SECONDS"))
    var timeout: Double = 30
    /// The longest `--timeout` (seconds): a day without progress is a dead connection.
    static let longestTimeout = 86_400.0

    /// Refused with advice: a token on the command line shows in `ps` and shell history.
    @Option(name: .customLong("token"), help: .hidden)
    var plainToken: String?

    /// `--timeout`.
    var timeoutDuration: Duration { .milliseconds(Int64(timeout * 1000)) }

    /// The connection flags given on the command line that name or reach a server (for a
    /// command whose sides are profiles, which does not use them).
    var givenFlags: [String] {
        let given: [(String, Bool)] = [
            ("--base-url", baseURL != nil), ("--token-file", tokenFile != nil), ("--profile", profile != nil),
            ("--ca-file", caFile != nil), ("--proxy", proxy != nil), ("--allow-insecure-http", allowInsecureHTTP),
        ]
        return given.filter(\.1).map(\.0)
    }

    func validate() throws {
        if plainToken != nil {
            throw ValidationError(
                "--token is not accepted here (a token on the command line shows in ps and shell history): "
                    + "set REFACTOR_API_TOKEN, or put the token on the first line of a file and pass --token-file PATH")
        }
        guard timeout > 0, timeout <= Self.longestTimeout else { throw ValidationError("--timeout must be a number of seconds above 0, at most a day (86400)") }
    }

    /// The server and token, from flags, the environment and the profile; a
    /// ``ConfigurationError`` (exit 64) when either is missing or the URL is refused.
    func resolve(environment: [String: String] = ProcessEnvironment.current) throws -> ResolvedConnection {
        let profile = try ProfileLoader.selected(flag: self.profile, environment: environment)
        guard let urlText = baseURL ?? environment["REFACTOR_BASE_URL"] ?? profile?.baseURL, !urlText.isEmpty else {
            throw ConfigurationError("no API base URL: pass --base-url URL or set REFACTOR_BASE_URL" + (profile.map { " (\($0.label) has no base_url)" } ?? ""))
        }
        let server = try ServerAddress(urlText, allowInsecureHTTP: allowInsecureHTTP || profile?.allowInsecureHTTP == true)
        let token: APIToken
        if let tokenFile {
            token = try TokenFile.read(tokenFile, what: "--token-file \(tokenFile)")
        } else if let value = environment["REFACTOR_API_TOKEN"] {
            guard !APIToken.hasControlCharacters(value.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                throw ConfigurationError("REFACTOR_API_TOKEN holds control characters (a line break?): set it to the token alone")
            }
            guard var parsed = APIToken(value) else {
                throw ConfigurationError("REFACTOR_API_TOKEN is set but empty")
            }
            parsed.source = "REFACTOR_API_TOKEN"
            token = parsed
        } else if let profile {
            token = try profile.token(environment: environment)
        } else {
            throw ConfigurationError("no API token: set REFACTOR_API_TOKEN or pass --token-file PATH (or use a profile: --profile NAME)")
        }
        var resolved = ResolvedConnection(server: server, token: token, profile: profile)
        resolved.caFile = caFile.map { ($0, "--ca-file") } ?? resolved.caFile
        resolved.proxy = proxy.map { ($0, "--proxy") } ?? resolved.proxy
        resolved.timeout = timeoutDuration
        return resolved
    }
}

/// The process environment as a dictionary.
enum ProcessEnvironment {
    /// Tests run commands in-process with an environment of their own.
    @TaskLocal static var override: [String: String]? = nil

    static var current: [String: String] {
        if let override { return override }
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let eq = text.firstIndex(of: "=") {
                result[String(text[..<eq])] = String(text[text.index(after: eq)...])
            }
            pointer += 1
        }
        return result
    }
}
