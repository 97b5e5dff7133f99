import LabelPortCore
import Logging
import Synchronization

/// One sandbox's state and machinery, shared by every request: the data behind a
/// `Mutex`, the counters, the fault generator and the `--data` file.
///
/// Persistence is a debounced snapshot: a write only bumps the state's version; the
/// server writes the whole state to `--data` at most once per flush interval when the
/// version moved, and once more on shutdown. The request path never touches the disk,
/// and a snapshot is taken under the lock in O(1) (copy-on-write) and encoded outside it.
package final class Sandbox: Sendable {
    package let configuration: SandboxConfiguration
    package let stats = SandboxStats()
    let faults: FaultInjector
    /// The per-token rate limit, when `--rate-limit` is set.
    package let rateLimiter: RateLimiter?
    private let state: Mutex<SandboxState>
    /// The version last written to `--data`; held while writing so flushes never overlap.
    private let flushedVersion: Mutex<UInt64>

    /// Loads the `--data` file if it exists, else the `--seed` file, else starts empty.
    package init(_ configuration: SandboxConfiguration) throws(SandboxConfigurationError) {
        self.configuration = configuration
        self.faults = FaultInjector(spec: configuration.faults, seed: configuration.faultSeed)
        self.rateLimiter = configuration.rateLimit.map { RateLimiter(spec: $0) }
        let now = Timestamp.now()
        var initial = SandboxState()
        var loadedVersion: UInt64 = 0
        if let data = configuration.dataFile, AtomicFile.exists(data) {
            initial = try Self.load(data, flag: "--data", now: now)
            loadedVersion = initial.version
        } else if let seed = configuration.seedFile {
            initial = try Self.load(seed, flag: "--seed", now: now)
        }
        self.state = Mutex(initial)
        self.flushedVersion = Mutex(loadedVersion)
        // Written at once: a data file that cannot be written is an error before the
        // sandbox listens, not writes acknowledged and then lost.
        if let data = configuration.dataFile {
            do { try AtomicFile.write(SandboxSnapshot.encode(initial), to: data) } catch {
                throw SandboxConfigurationError("--data \(data): cannot write: \(error.reason)")
            }
            flushedVersion.withLock { $0 = initial.version }
        }
    }

    private static func load(_ path: String, flag: String, now: String) throws(SandboxConfigurationError) -> SandboxState {
        let bytes: [UInt8]
        do { bytes = try FileText.readBytes(path) } catch {
            throw SandboxConfigurationError("\(flag) \(path): cannot read: \(error.reason)")
        }
        return try SandboxSnapshot.decode(bytes, source: "\(flag) \(path)", now: now, newID: RandomUUID.make)
    }

    /// Runs `body` on the state under the lock.
    func withState<R: Sendable>(_ body: (inout SandboxState) throws(SandboxHTTPError) -> R) throws(SandboxHTTPError) -> R {
        try state.withLock { (s: inout SandboxState) throws(SandboxHTTPError) -> R in try body(&s) }
    }

    /// A copy of the whole state (cheap: copy-on-write).
    package func snapshot() -> SandboxState { state.withLock { $0 } }

    /// The gold labels of a run in creation order, whichever account owns it.
    package func goldLabels(runID: String) -> [GoldLabel] {
        state.withLock { s in (s.labelIDsByRun[UUIDText.normalized(runID)] ?? []).compactMap { s.labels[$0] } }
    }

    /// Writes the state to `--data` if it changed since the last write. Returns whether
    /// it wrote.
    @discardableResult
    package func flush() throws(FileError) -> Bool {
        guard let path = configuration.dataFile else { return false }
        return try flushedVersion.withLock { (flushed: inout UInt64) throws(FileError) -> Bool in
            let current = state.withLock { $0 }
            guard current.version != flushed else { return false }
            try AtomicFile.write(SandboxSnapshot.encode(current), to: path)
            flushed = current.version
            return true
        }
    }

    /// Flushes every `configuration.flushInterval` until cancelled; failures are logged
    /// and retried at the next tick.
    func runFlushLoop(logger: Logger) async {
        guard configuration.dataFile != nil else { return }
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.flushInterval) } catch { return }
            do { try flush() } catch {
                logger.error("sandbox: cannot write the data file: \(error)")
            }
        }
    }
}
