import ArgumentParser
import Foundation
import LabelPortCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
            guard let parsed = APIToken(value) else {
                throw ConfigurationError("REFACTOR_API_TOKEN is set but empty")
            }
            token = parsed
        } else if let profile {
            token = try profile.token(environment: environment)
        } else {
            throw ConfigurationError("no API token: set REFACTOR_API_TOKEN or pass --token-file PATH (or use a profile: --profile NAME)")
        }
        return ResolvedConnection(server: server, token: token, profile: profile)
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
