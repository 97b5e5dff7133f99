import ArgumentParser
import LabelPortCore
import LabelPortSandbox
import Logging

/// `labelport sandbox`: a local stand-in for the re-factor API.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local stand-in for the re-factor API (the five endpoints; in memory, or kept in a --data file).",
        discussion: """
            Serves the five API endpoints with the API's schemas, statuses and {"error": "..."} \
            bodies, until Ctrl-C or SIGTERM. Prints one line when it listens:
              labelport sandbox listening on http://127.0.0.1:8787

            Tokens: --token TOKEN[=ACCOUNT] (repeatable; ACCOUNT defaults to "sandbox"). \
            Without --token it accepts $REFACTOR_API_TOKEN if set, else the token \
            "sandbox-token", for the account "sandbox". Another account's runs are 404.

            Runs must exist: declare them in --seed FILE, a JSON object \
            {"runs": [{"id", "account_id"}], "gold_labels": [...], "evaluations": [...]} \
            (ids and timestamps may be left out), or pass --create-runs to accept any run \
            UUID on first use. Evaluations only come from the seed.

            --data FILE keeps the state across restarts: loaded when it exists (the seed is \
            then ignored), written atomically at most twice a second while it changes and \
            on shutdown.

            --faults SPEC injects faults into /v1 requests: error=P (500/503, not applied), \
            throttle=P (429 with Retry-After: 1, not applied), drop-after-commit=P (a write \
            is stored, then the connection closes with no answer), latency=DURATION (every \
            request). --fault-seed N repeats the same fault sequence.

            --rate-limit R enforces R requests per second per token, as a real API does: a \
            token bucket of --rate-limit-burst N (default R/10); above it, 429 with \
            Retry-After in whole seconds. --rate-limit-headers adds RateLimit-Limit (the most \
            requests any one-second window may hold: R + N), RateLimit-Remaining (requests \
            that may still be sent in the next second) and RateLimit-Reset (1) to every answer.

            GET /_sandbox/stats (no token) counts requests by endpoint and status, writes \
            applied, requests in flight (highest at once), faults and requests refused by the \
            rate limit; POST /_sandbox/stats/reset zeroes them.

            Listening on an address other machines can reach (--host 0.0.0.0) needs \
            --token. A port in use is an error (exit 1): pass --port 0 for a free one.

            Examples:
              labelport sandbox --seed examples/sandbox-seed.json
              labelport sandbox --port 0 --create-runs \\
                  --token secret=team-a --token other=team-b
              labelport sandbox --create-runs --data sandbox-state.json
              labelport sandbox --create-runs --fault-seed 7 \\
                  --faults error=0.1,throttle=0.05,drop-after-commit=0.02,latency=20ms
              labelport sandbox --create-runs --rate-limit 200 --rate-limit-burst 20 \\
                  --rate-limit-headers
            """
    )

    @Option(help: ArgumentHelp("Address to listen on.", valueName: "HOST"))
    var host = "127.0.0.1"

    @Option(help: ArgumentHelp("Port to listen on; 0 picks a free one (printed).", valueName: "PORT"))
    var port = 8787

    @Option(name: .customLong("token"), help: ArgumentHelp("Accept this bearer token, for ACCOUNT (default: sandbox). Repeatable.", valueName: "TOKEN[=ACCOUNT]"))
    var tokens: [String] = []

    @Option(help: ArgumentHelp("Load runs, gold labels and evaluations from this JSON file.", valueName: "FILE"))
    var seed: String?

    @Flag(name: .customLong("create-runs"), help: "Accept any run UUID on first use, for the caller's account.")
    var createRuns = false

    @Option(help: ArgumentHelp("Keep the state in this file across restarts.", valueName: "FILE"))
    var data: String?

    @Option(help: ArgumentHelp("Faults to inject, e.g. error=0.1,throttle=0.05,drop-after-commit=0.02,latency=20ms.", valueName: "SPEC"))
    var faults: String?

    @Option(name: .customLong("fault-seed"), help: ArgumentHelp("Seed of the fault sequence.", valueName: "N"))
    var faultSeed: UInt64 = 0

    @Option(name: .customLong("rate-limit"), help: ArgumentHelp("Requests per second allowed per token (default: unlimited).", valueName: "R"))
    var rateLimit: Double?

    @Option(name: .customLong("rate-limit-burst"), help: ArgumentHelp("Requests a token may send at once after a quiet spell (default: R/10, at least 1).", valueName: "N"))
    var rateLimitBurst: Int?

    @Flag(name: .customLong("rate-limit-headers"), help: "Send RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset on every answer.")
    var rateLimitHeaders = false

    func validate() throws {
        if let rateLimit {
            guard rateLimit > 0, rateLimit.isFinite else { throw ValidationError("--rate-limit must be a positive number of requests per second") }
        }
        if let rateLimitBurst {
            guard rateLimitBurst >= 1 else { throw ValidationError("--rate-limit-burst must be at least 1") }
            guard rateLimit != nil else { throw ValidationError("--rate-limit-burst needs --rate-limit") }
        }
        if rateLimitHeaders && rateLimit == nil { throw ValidationError("--rate-limit-headers needs --rate-limit") }
        guard (0...65535).contains(port) else { throw ValidationError("--port \(port): must be 0…65535") }
        guard !host.isEmpty else { throw ValidationError("--host must not be empty") }
        _ = try tokenMap(environment: [:])
        if tokens.isEmpty, !SandboxCommand.isLoopback(host) {
            throw ValidationError(
                "--host \(host) is reachable from other machines: give the sandbox a token of your own with --token TOKEN "
                    + "(the default token is well known)")
        }
        if let faults {
            do { _ = try FaultSpec(parsing: faults) } catch { throw ValidationError(error.message) }
        }
    }

    /// Whether `host` is a loopback address (only this machine can connect).
    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower == "[::1]" || lower.hasPrefix("127.")
    }

    /// Token → account from `--token`, else `REFACTOR_API_TOKEN`, else the default token.
    func tokenMap(environment: [String: String]) throws -> [String: String] {
        var map: [String: String] = [:]
        for item in tokens {
            // TOKEN=ACCOUNT splits at the last "="; a trailing "=" (base64 padding) is part of the token.
            var token = item
            var account = SandboxConfiguration.defaultAccount
            if let eq = item.lastIndex(of: "="), item.index(after: eq) != item.endIndex {
                token = String(item[..<eq])
                account = String(item[item.index(after: eq)...])
            }
            token = token.trimmingWhitespace()
            guard !token.isEmpty else { throw ValidationError("--token: the token must not be empty") }
            guard !account.isEmpty else { throw ValidationError("--token: the account after \"=\" must not be empty") }
            map[token] = account
        }
        if map.isEmpty {
            if let value = environment["REFACTOR_API_TOKEN"]?.trimmingWhitespace(), !value.isEmpty {
                map[value] = SandboxConfiguration.defaultAccount
            } else {
                map[SandboxConfiguration.defaultToken] = SandboxConfiguration.defaultAccount
            }
        }
        return map
    }

    func makeConfiguration(environment: [String: String]) throws -> SandboxConfiguration {
        var faultSpec = FaultSpec()
        if let faults {
            do { faultSpec = try FaultSpec(parsing: faults) } catch { throw ValidationError(error.message) }
        }
        return SandboxConfiguration(
            host: host, port: port, tokens: try tokenMap(environment: environment), seedFile: seed,
            createRuns: createRuns, dataFile: data, faults: faultSpec, faultSeed: faultSeed,
            rateLimit: rateLimit.map { RateLimitSpec(rate: $0, burst: rateLimitBurst, headers: rateLimitHeaders) }
        )
    }

    func run() async throws {
        let configuration = try makeConfiguration(environment: ProcessEnvironment.current)
        let logger = SandboxServer.logger(level: ProcessEnvironment.current["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning)
        do {
            try await SandboxServer.run(configuration, logger: logger) { running in
                // Unbuffered, so a script reading the pipe sees the line at once.
                let line = Array("labelport sandbox listening on \(running.baseURL)\n".utf8)
                _ = line.withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            }
        } catch let error as SandboxConfigurationError {
            throw ValidationError(error.message)
        } catch let error as SandboxListenError {
            throw CommandFailure(error.message)
        }
    }
}
