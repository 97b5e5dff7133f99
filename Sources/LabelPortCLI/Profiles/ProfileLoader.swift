import Foundation
import LabelPortCore

/// Finds the config file, reads it, and picks a profile: `--profile NAME`, else
/// `LABELPORT_PROFILE`. Every problem is a ``ConfigurationError`` (exit 64) naming the file.
enum ProfileLoader {
    /// The profile `flag` or `LABELPORT_PROFILE` names; nil when neither names one (the
    /// config file is then not read at all).
    static func selected(flag: String?, environment: [String: String]) throws(ConfigurationError) -> Profile? {
        let fromEnvironment = environment["LABELPORT_PROFILE"].flatMap { $0.isEmpty ? nil : $0 }
        guard let name = flag ?? fromEnvironment else { return nil }
        return try load(named: name, environment: environment, namedBy: flag != nil ? "--profile" : "LABELPORT_PROFILE")
    }

    /// The profile called `name`; `namedBy` says where the name came from, for messages.
    static func load(named name: String, environment: [String: String], namedBy: String) throws(ConfigurationError) -> Profile {
        let config = try configFile(environment: environment, reason: "\(namedBy) names profile \"\(name)\"")
        guard let profile = config.profile(named: name) else {
            let known = config.profiles.map(\.name)
            throw ConfigurationError(
                "\(config.path): no profile \"\(name)\" (named by \(namedBy)); "
                    + (known.isEmpty ? "the file defines none" : "it defines \(known.joined(separator: ", "))"))
        }
        return profile
    }

    /// Reads the config file; `reason` says why it is needed when it is missing.
    static func configFile(environment: [String: String], reason: String? = nil) throws(ConfigurationError) -> ConfigFile {
        guard let path = ConfigFile.location(environment: environment) else {
            throw ConfigurationError("no config file: set LABELPORT_CONFIG to its path (HOME is not set)")
        }
        let text: String
        do { text = try FileText.read(path) } catch {
            throw ConfigurationError("\(path): cannot read the config file: \(error.reason)" + (reason.map { " (\($0))" } ?? ""))
        }
        let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? 0
        return try ConfigFile(text: text, path: path, openToOthers: mode & 0o077 != 0, home: environment["HOME"])
    }
}

extension Profile {
    /// `profile "prod" (FILE)`, for messages.
    var label: String { "profile \"\(name)\" (\(file))" }

    /// The token from the profile's source, or why there is none.
    func token(environment: [String: String]) throws(ConfigurationError) -> APIToken {
        switch tokenSource {
        case nil:
            throw ConfigurationError("no API token: \(label) has no token_env, token_file or token_command; add one, set REFACTOR_API_TOKEN or pass --token-file PATH")
        case .environment(let variable)?:
            guard let value = environment[variable] else {
                throw ConfigurationError("no API token: \(label) reads it from $\(variable), which is not set")
            }
            return try TokenFile.firstLineToken(value, what: "\(label): $\(variable)")
        case .file(let path)?:
            return try TokenFile.read(path, what: "\(label): token_file \(path)")
        case .command(let command)?:
            let line = try TokenCommand.run(command, what: "\(label): token_command")
            var token = try TokenFile.firstLineToken(line, what: "\(label): the token_command's first line")
            token.source = "\(label): token_command"
            return token
        }
    }
}
