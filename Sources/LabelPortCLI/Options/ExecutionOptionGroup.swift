import ArgumentParser
import LabelPortCore

/// How requests are paced and retried: shared by every command that talks to the API
/// (`@OptionGroup var execution: ExecutionOptionGroup`).
///
/// The numbers are parsed `.unconditional`: `--rate -1` is a rate of -1, refused with its
/// range, not a missing value followed by an unknown flag `-1`.
struct ExecutionOptionGroup: ParsableArguments {
    @Option(name: .customLong("concurrency"), parsing: .unconditional, help: ArgumentHelp("Requests in flight at once (default: the profile's concurrency, else 8).", valueName: "N"))
    var concurrencyFlag: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("At most R requests per second, every request and retry counted (default: the profile's rate, else as fast as the server allows, paced to its limit).", valueName: "R"))
    var rate: Double?

    /// `--concurrency`, else 8 (a profile's value applies through ``options(for:)``).
    var concurrency: Int { concurrencyFlag ?? 8 }

    @Option(parsing: .unconditional, help: ArgumentHelp("Requests allowed at once after a quiet spell: no one-second window holds more than rate + burst (default: 10% of --rate, at least 1).", valueName: "N"))
    var burst: Int?

    @Option(parsing: .unconditional, help: ArgumentHelp("Retries per request for 429, 5xx, timeouts and dropped connections.", valueName: "N"))
    var retries: Int = 5

    /// More requests in flight than any API allows one client (each holds a connection).
    static let concurrencyRange = 1...1024
    /// From one request in 100 s to a million a second.
    static let rateRange = 0.01...1_000_000

    func validate() throws {
        do {
            if let concurrencyFlag { try Self.check(concurrency: concurrencyFlag, name: "--concurrency") }
            if let rate { try Self.check(rate: rate, name: "--rate") }
        } catch {
            throw ValidationError(error.description)
        }
        if let burst { guard burst >= 1 else { throw ValidationError("--burst must be at least 1") } }
        guard retries >= 0 else { throw ValidationError("--retries must be 0 or more") }
    }

    /// The options with the profile's concurrency and rate where the flags are not given.
    /// `--burst` needs a rate, from `--rate` or the profile (a usage error otherwise).
    func options(for connection: ResolvedConnection) throws(ConfigurationError) -> ExecutionOptions {
        let options = try optionsAllowingBurstWithoutRate(for: connection)
        if burst != nil && options.rate == nil { throw Self.burstNeedsRate }
        return options
    }

    /// copy's two sides: `--burst` applies to each side with a rate (from `--rate` or its
    /// profile) and is a usage error only when neither side has one.
    func options(forSource source: ResolvedConnection, destination: ResolvedConnection) throws(ConfigurationError) -> (source: ExecutionOptions, destination: ExecutionOptions) {
        var sides = (source: try optionsAllowingBurstWithoutRate(for: source), destination: try optionsAllowingBurstWithoutRate(for: destination))
        if burst != nil && sides.source.rate == nil && sides.destination.rate == nil { throw Self.burstNeedsRate }
        if sides.source.rate == nil { sides.source.burst = nil }
        if sides.destination.rate == nil { sides.destination.burst = nil }
        return sides
    }

    private static let burstNeedsRate = ConfigurationError("--burst needs --rate (or a profile's rate)")

    private func optionsAllowingBurstWithoutRate(for connection: ResolvedConnection) throws(ConfigurationError) -> ExecutionOptions {
        let profile = connection.profileLabel ?? "the profile"
        if let profileConcurrency = connection.concurrency { try Self.check(concurrency: profileConcurrency, name: "\(profile): concurrency") }
        if let profileRate = connection.rate { try Self.check(rate: profileRate, name: "\(profile): rate") }
        return ExecutionOptions(concurrency: concurrencyFlag ?? connection.concurrency ?? 8, rate: rate ?? connection.rate, burst: burst, retries: retries)
    }

    static func check(concurrency: Int, name: String) throws(ConfigurationError) {
        guard concurrencyRange.contains(concurrency) else {
            throw ConfigurationError("\(name) must be from \(concurrencyRange.lowerBound) to \(concurrencyRange.upperBound)")
        }
    }

    static func check(rate: Double, name: String) throws(ConfigurationError) {
        guard rateRange.contains(rate) else {
            throw ConfigurationError("\(name) must be a number of requests per second from 0.01 to 1000000")
        }
    }
}
