import LabelPortCore
import LabelPortSandbox
import Testing
@testable import LabelPortCLI

/// Two sandboxes (source and destination) and a config file naming them.
struct CopyEnvironments {
    static let token = TestSandbox.tokenA
    let source: RunningSandbox
    let destination: RunningSandbox
    let directory: TemporaryDirectory
    /// LABELPORT_CONFIG and DST_TOKEN.
    let environment: [String: String]

    /// Starts both sandboxes: `sourceSeed` and `destinationSeed` (runs A, B, C, empty, by
    /// default); profile `src` reads its token from a file, `dst` from a variable.
    static func with<Result>(
        sourceSeed: String = ExportFixtures.trickySeed(), destinationSeed: String = ImportFixtures.seed(),
        destinationFaults: FaultSpec? = nil,
        _ body: (CopyEnvironments) async throws -> Result
    ) async throws -> Result {
        try await ExportFixtures.withSandbox(seed: sourceSeed) { source, directory in
            try await ExportFixtures.withSandbox(seed: destinationSeed, { configuration in
                if let destinationFaults { configuration.faults = destinationFaults }
            }) { destination, _ in
                try directory.write("src-token", token + "\n")
                let environment = try ProfileFixtures.environment(
                    ProfileFixtures.profile("src", source, #"token_file = "src-token""#) + "\n"
                        + ProfileFixtures.profile("dst", destination, #"token_env = "DST_TOKEN""#),
                    in: directory, ["DST_TOKEN": token])
                return try await body(CopyEnvironments(source: source, destination: destination, directory: directory, environment: environment))
            }
        }
    }

    /// `labelport copy --from src --to dst …` in-process.
    func copy(_ arguments: [String]) async -> CLIResult {
        await ProfileFixtures.run(["copy", "--from", "src", "--to", "dst"] + arguments, environment: environment)
    }

    /// Every label of the source run has a label of the same name and values in the
    /// destination run, and no name is there twice.
    func expectExactCopy(run: String, into destinationRun: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let sourceLabels = source.sandbox.goldLabels(runID: run)
        let destinationLabels = destination.sandbox.goldLabels(runID: destinationRun ?? run)
        #expect(!sourceLabels.isEmpty, sourceLocation: sourceLocation)
        var byName: [String: [GoldLabel]] = [:]
        for label in destinationLabels { byName[label.outputResourceName, default: []].append(label) }
        for label in sourceLabels {
            let matches = byName[label.outputResourceName] ?? []
            #expect(matches.count == 1, "\(label.outputResourceName): \(matches.count) in the destination", sourceLocation: sourceLocation)
            #expect(matches.first.map(LabelValues.init) == LabelValues(label), "\(label.outputResourceName)", sourceLocation: sourceLocation)
        }
    }
}
