import ArgumentParser
import LabelPortCore

/// `export labels --dry-run`: compares an earlier export (kept compact) with the server
/// now, run by run, each server label as it arrives (only differences are kept), and
/// prints added / removed / changed labels. Exit status 0 when the same, 1 when they differ or a run is missing.
struct ExportDryRun {
    var path: String
    var format: ExportFormat
    /// The runs to compare; empty: every run in the file.
    var runIDs: [String]
    var json: Bool
    /// List every label and field (else 20 labels of at most 10 fields).
    var verbose: Bool
    var window: Int

    func run(api: ExportSession.API) async throws {
        let console = Console.current
        let file = try ExportFileInput.readLabels(path, format: format)
        let runs = LabelExporter.exportOrder(runIDs: runIDs.isEmpty ? Array(file.keys) : runIDs)
        var diff = LabelSetDiff()
        var failures: [ExportFailure] = []
        try await OrderedFetcher(window: window).forEach(runs) { runID in
            // Compared as the answer arrives: only the differences are kept.
            let collector = LabelDiffCollector(old: file[runID])
            do throws(APIError) {
                return .success(try await api.readGoldLabels(runID: runID, into: collector).finish())
            } catch {
                return .failure(error)
            }
        } deliver: { runID, result in
            switch result {
            case .success(let runDiff):
                diff.merge(runDiff)
            case .failure(let error):
                guard error.kind == .notFound else { throw error }
                failures.append(ExportFailure(item: runID, error: error))
            }
        }
        for failure in failures { console.message("error: \(failure)") }
        if json {
            guard case .object(var root) = diff.json else { return }
            root["runs"] = .number(JSONNumber(runs.count))
            root["missing_runs"] = .array(failures.map { .string($0.item) })
            console.output(JSONWriter().string(.object(root)) + "\n")
        } else {
            var text = diff.countsLine + "\n"
            var listed = CappedList(verbose: verbose)
            for entry in diff.entries(DiffRenderer(color: console.outputIsTerminal)) where listed.admit() {
                text += CappedList.entry(entry, verbose: verbose).joined(separator: "\n") + "\n"
            }
            if let more = listed.moreLine("labels", hint: "--verbose or --json lists them all") { text += more + "\n" }
            console.output(text)
        }
        // A run the server does not have is a difference, whatever the other runs hold.
        let missing = failures.isEmpty ? "" : "; the server does not have \(Formatting.count(failures.count, "run")) of the file (above)"
        let verdict = diff.isEmpty && failures.isEmpty
            ? "the server matches \(path)" : "the server differs from \(path): \(diff.countsLine)\(missing)"
        console.message("\(verdict) (\(Formatting.count(runs.count - failures.count, "run")) compared; nothing written)")
        if !diff.isEmpty || !failures.isEmpty { throw ExitCode(1) }
    }
}
