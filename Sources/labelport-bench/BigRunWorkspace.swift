import Foundation

/// What the big-run cases (`big-run`, `copy`) work with: the `labelport` binary to measure
/// (`LABELPORT_BIN`, else the release build beside this binary), a temporary directory,
/// one run of LABELS labels as a sandbox seed file in it, and a token file.
struct BigRunWorkspace {
    let labelport: String
    let directory: String
    let run: String
    let seedFile: String
    let tokenFile: String

    init(name: String, labels: Int) throws {
        // LABELPORT_BIN: another build's binary to measure (an earlier one, for a before/after).
        labelport = ProcessInfo.processInfo.environment["LABELPORT_BIN"] ?? BenchProcess.binDirectory.appendingPathComponent("labelport").path
        directory = NSTemporaryDirectory() + "labelport-bench-\(name)-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let (seed, runIDs) = ExportBenchmark.seedText(runs: 1, labels: labels)
        run = runIDs[0]
        seedFile = try ExportBenchmark.write(directory + "/seed.json", seed)
        tokenFile = try ExportBenchmark.write(directory + "/token", BigRunBenchmark.token + "\n")
    }

    /// Removes the directory and everything in it.
    func remove() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
