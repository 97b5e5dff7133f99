import ArgumentParser
import LabelPortCore

/// How requests are paced and retried: shared by every command that talks to the API
/// (`@OptionGroup var execution: ExecutionOptionGroup`).
struct ExecutionOptionGroup: ParsableArguments {
    @Option(name: .customLong("concurrency"), help: ArgumentHelp("Requests in flight at once (default: the profile's concurrency, else 8).", valueName: "N"))
    var concurrencyFlag: Int?

    @Option(help: ArgumentHelp("At most R requests per second, every request and retry counted (default: the profile's rate, else as fast as the server allows, paced to its limit).", valueName: "R"))
    var rate: Double?

    /// `--concurrency`, else 8 (a profile's value applies through ``options(for:)``).
    var concurrency: Int { concurrencyFlag ?? 8 }

    @Option(help: ArgumentHelp("Requests allowed at once after a quiet spell: no one-second window holds more than rate + burst (default: 10% of --rate, at least 1).", valueName: "N"))
    var burst: Int?

    @Option(help: ArgumentHelp("Retries per request for 429, 5xx, timeouts and dropped connections.", valueName: "N"))
    var retries: Int = 5

    func validate() throws {
        if let concurrencyFlag { guard concurrencyFlag >= 1 else { throw ValidationError("--concurrency must be at least 1") } }
        if let rate { guard rate > 0, rate.isFinite else { throw ValidationError("--rate must be a positive number of requests per second") } }
        if let burst { guard burst >= 1 else { throw ValidationError("--burst must be at least 1") } }
        guard retries >= 0 else { throw ValidationError("--retries must be 0 or more") }
    }

    /// The options with the profile's concurrency and rate where the flags are not given.
    /// `--burst` needs a rate, from `--rate` or the profile (a usage error otherwise).
    func options(for connection: ResolvedConnection) throws(ConfigurationError) -> ExecutionOptions {
        let rate = rate ?? connection.rate
        if burst != nil && rate == nil { throw ConfigurationError("--burst needs --rate (or a profile's rate)") }
        return ExecutionOptions(concurrency: concurrencyFlag ?? connection.concurrency ?? 8, rate: rate, burst: burst, retries: retries)
    }
}
