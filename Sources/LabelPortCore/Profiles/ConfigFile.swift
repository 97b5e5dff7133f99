/// The labelport config file: its profiles, read from the TOML subset
/// (``TOMLSubsetReader``) and checked key by key. Every problem is a
/// ``ConfigurationError`` (exit 64) naming the file, and its line and column when it has one.
package struct ConfigFile: Sendable {
    package let path: String
    /// In the order the file defines them.
    package private(set) var profiles: [Profile] = []

    /// `$LABELPORT_CONFIG`, else `$XDG_CONFIG_HOME/labelport/config.toml`, else
    /// `~/.config/labelport/config.toml`; nil when none of these can be named.
    package static func location(environment: [String: String]) -> String? {
        if let path = environment["LABELPORT_CONFIG"], !path.isEmpty { return path }
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/labelport/config.toml" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/labelport/config.toml" }
        return nil
    }

    package func profile(named name: String) -> Profile? {
        profiles.first { $0.name == name }
    }

    /// Reads `text`, the contents of `path`. `openToOthers` says whether users other
    /// than the owner may read the file: a `token` key is then worded for the exposure.
    package init(text: String, path: String, openToOthers: Bool = false, home: String? = nil) throws(ConfigurationError) {
        self.path = path
        let reader: TOMLSubsetReader
        do { reader = try TOMLSubsetReader(text) } catch {
            throw ConfigurationError("\(path):\(error.line):\(error.column): \(error.message)")
        }
        let folder = path.contains("/") ? String(path[..<path.lastIndex(of: "/")!]) : "."
        func place(_ line: Int, _ column: Int) -> String { "\(path):\(line):\(column)" }

        // A token written into the file is refused first, before any other problem.
        for entry in reader.entries where entry.path.last == "token" {
            let advice = "keep the token out of the config: name where it comes from with token_env (an environment variable), token_file (a file only you can read) or token_command (your secret manager)"
            if openToOthers {
                throw ConfigurationError("\(place(entry.line, entry.column)): this file holds a token and other users can read it: remove the token, consider it exposed and rotate it; \(advice)")
            }
            throw ConfigurationError("\(place(entry.line, entry.column)): a config file cannot hold the token itself; \(advice)")
        }
        for table in reader.tables {
            guard table.path.first == "profiles", table.path.count <= 2 else {
                throw ConfigurationError("\(place(table.line, table.column)): unknown table [\(TOMLSubsetReader.dotted(table.path))]: the config holds only [profiles.NAME] tables")
            }
            if table.path.count == 2, profile(named: table.path[1]) == nil {
                profiles.append(Profile(name: table.path[1], file: path))
            }
        }
        for entry in reader.entries {
            guard entry.path.count == 3, entry.path[0] == "profiles" else {
                throw ConfigurationError("\(place(entry.line, entry.column)): unknown key \(TOMLSubsetReader.dotted(entry.path)): keys belong in a [profiles.NAME] table")
            }
            let name = entry.path[1]
            let key = entry.path[2]
            let at = place(entry.line, entry.column)
            var profile = self.profile(named: name) ?? Profile(name: name, file: path)
            func string() throws(ConfigurationError) -> String {
                guard case .string(let text) = entry.value else {
                    throw ConfigurationError("\(at): \(key) must be a string, not \(entry.value.typeName)")
                }
                guard !text.isEmpty else { throw ConfigurationError("\(at): \(key) is empty") }
                return text
            }
            func setToken(_ source: TokenSource) throws(ConfigurationError) {
                if let existing = profile.tokenSource {
                    throw ConfigurationError("\(at): profile \"\(name)\" already takes its token from \(Self.keyName(existing)); give one of token_env, token_file, token_command")
                }
                profile.tokenSource = source
            }
            switch key {
            case "base_url": profile.baseURL = try string()
            case "token_env": try setToken(.environment(try string()))
            case "token_file": try setToken(.file(Self.expand(try string(), folder: folder, home: home)))
            case "token_command": try setToken(.command(try string()))
            case "ca_file": profile.caFile = Self.expand(try string(), folder: folder, home: home)
            case "proxy": profile.proxy = try string()
            case "allow_insecure_http":
                guard case .bool(let flag) = entry.value else {
                    throw ConfigurationError("\(at): allow_insecure_http must be true or false, not \(entry.value.typeName)")
                }
                profile.allowInsecureHTTP = flag
            case "concurrency":
                guard case .integer(let n) = entry.value, n >= 1 else {
                    throw ConfigurationError("\(at): concurrency must be a whole number of at least 1")
                }
                profile.concurrency = n
            case "rate":
                let rate: Double
                switch entry.value {
                case .integer(let n): rate = Double(n)
                case .float(let x): rate = x
                default: throw ConfigurationError("\(at): rate must be a number of requests per second, not \(entry.value.typeName)")
                }
                guard rate > 0, rate.isFinite else { throw ConfigurationError("\(at): rate must be a positive number of requests per second") }
                profile.rate = rate
            default:
                throw ConfigurationError("\(at): unknown key \(key) in profile \"\(name)\"; a profile's keys are \(Profile.keys.joined(separator: ", "))")
            }
            if let index = profiles.firstIndex(where: { $0.name == name }) { profiles[index] = profile } else { profiles.append(profile) }
        }
    }

    private static func keyName(_ source: TokenSource) -> String {
        switch source {
        case .environment: "token_env"
        case .file: "token_file"
        case .command: "token_command"
        }
    }

    /// `~/x` from the home folder; a relative path from the config file's folder.
    static func expand(_ path: String, folder: String, home: String?) -> String {
        if path.hasPrefix("~/"), let home { return home + path.dropFirst() }
        if path.hasPrefix("/") || path.hasPrefix("~") { return path }
        return folder + "/" + path
    }
}
