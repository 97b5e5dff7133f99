import LabelPortCore
import LabelPortSandbox
@testable import LabelPortCLI

/// Config files and environments for profile tests; commands run in-process with
/// their own environment (``ProcessEnvironment/override``), never the test process's.
enum ProfileFixtures {
    static let directory = Fixtures.directory("profiles")

    /// Writes `config.toml` into `directory` and returns an environment pointing at it.
    static func environment(_ config: String, in directory: TemporaryDirectory, _ extra: [String: String] = [:]) throws -> [String: String] {
        let path = try directory.write("config.toml", config)
        return ["LABELPORT_CONFIG": path, "HOME": directory.path].merging(extra) { $1 }
    }

    /// Runs `labelport arguments…` in-process with exactly `environment`.
    static func run(_ arguments: [String], environment: [String: String]) async -> CLIResult {
        await ProcessEnvironment.$override.withValue(environment) {
            await runLabelPort(arguments)
        }
    }

    /// A `[profiles.NAME]` table for `sandbox` with `tokenLines` (e.g. `token_env = "X"`).
    static func profile(_ name: String, _ sandbox: RunningSandbox, _ tokenLines: String) -> String {
        "[profiles.\(name)]\nbase_url = \"\(sandbox.baseURL)\"\n\(tokenLines)\n"
    }

    /// The text of a fixture file.
    static func golden(_ name: String) throws -> String {
        try FileText.read(directory + name)
    }
}

extension APIToken {
    /// Whether this is `secret`, without reading it: the scrubber replaces exactly it.
    func isSecret(_ secret: String) -> Bool {
        scrub("<\(secret)>") == "<<redacted>>"
    }
}

