/// How a sandbox server is set up: where it listens, which tokens it accepts, where its
/// data comes from and goes to, and which faults it injects.
package struct SandboxConfiguration: Sendable {
    /// The token accepted when none is configured, for the account `sandbox`.
    package static let defaultToken = "sandbox-token"
    package static let defaultAccount = "sandbox"

    package var host: String
    /// 0 picks a free port; ``RunningSandbox/port`` tells which.
    package var port: Int
    /// Bearer token → account id. Each account sees only its own runs.
    package var tokens: [String: String]
    /// A JSON file declaring runs, gold labels and evaluations (see ``SandboxSnapshot``).
    package var seedFile: String?
    /// Accept any run UUID on first use, creating the run for the caller's account.
    package var createRuns: Bool
    /// Keep the state in this file across restarts. When the file exists it is loaded
    /// and `seedFile` is ignored; otherwise the seed is loaded and saved there.
    package var dataFile: String?
    package var faults: FaultSpec
    /// The rate each token may send at; nil: unlimited.
    package var rateLimit: RateLimitSpec?
    /// Seed of the fault sequence: the same seed and the same requests give the same faults.
    package var faultSeed: UInt64
    /// How often changed state is written to `dataFile` (also written on shutdown).
    package var flushInterval: Duration

    package init(
        host: String = "127.0.0.1", port: Int = 8787,
        tokens: [String: String] = [SandboxConfiguration.defaultToken: SandboxConfiguration.defaultAccount],
        seedFile: String? = nil, createRuns: Bool = false, dataFile: String? = nil,
        faults: FaultSpec = FaultSpec(), faultSeed: UInt64 = 0, flushInterval: Duration = .milliseconds(500),
        rateLimit: RateLimitSpec? = nil
    ) {
        self.rateLimit = rateLimit
        self.host = host
        self.port = port
        self.tokens = tokens
        self.seedFile = seedFile
        self.createRuns = createRuns
        self.dataFile = dataFile
        self.faults = faults
        self.faultSeed = faultSeed
        self.flushInterval = flushInterval
    }
}

/// A sandbox set-up that cannot work: a bad fault spec, an unreadable or invalid seed or
/// data file. The message names the file or flag and what is wrong.
package struct SandboxConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}

/// The sandbox could not listen (a port in use, an address no interface has).
package struct SandboxListenError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
