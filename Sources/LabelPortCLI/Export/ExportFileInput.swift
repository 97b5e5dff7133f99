import LabelPortCore

/// Reads the files export commands take — an earlier export (for --dry-run), ids files
/// and runs files — reporting every problem as `FILE:LINE: message` (exit status 2).
enum ExportFileInput {
    /// The labels of an export file by run, compact (``StoredLabels``, canonical): a JSONL
    /// file as export writes it by ``ExportFileScanner``, any other with import's reader
    /// (so the file is checked exactly as `labelport import` would read it).
    static func readLabels(_ path: String, format: ExportFormat) throws -> [String: CompactRunIndex] {
        // A file export wrote is read without building its rows; any other with import's reader.
        if format == .jsonl, let runs = ExportFileScanner.read(path: path) {
            return try index(runs, path: path, problems: [])
        }
        var input: LabelInput
        do {
            input = try LabelInput(path: path, options: LabelInputOptions(format: InputFormat(rawValue: format.rawValue)))
        } catch {
            throw CommandFailure("\(error.diagnostic)", exitCode: 2)
        }
        var runs: [String: (run: CompactRun.Builder, lines: [Int])] = [:]
        var problems: [Diagnostic] = []
        while let item = input.next() {
            switch item {
            case .invalid(_, let diagnostics, _):
                problems += diagnostics
            case .row(let row, _), .unchanged(let row, _, _):
                guard let id = row.id else {
                    problems.append(Diagnostic(file: path, line: row.line, message: "the row has no id: --dry-run matches labels by id, so compare with a file written by export"))
                    continue
                }
                let label = StoredLabel(
                    runID: row.runID, id: id, outputResourceName: row.outputResourceName,
                    values: LabelValues(textValue: row.textValue, objectValue: row.objectValue, objectValueIsPartial: row.objectValueIsPartial))
                if runs[label.runID] == nil { runs[label.runID] = (CompactRun.Builder(body: .asSent), []) }
                StoredLabels.add(label, to: &runs[label.runID]!.run, canonical: true)
                runs[label.runID]!.lines.append(row.line)
            }
        }
        return try index(runs, path: path, problems: problems)
    }

    /// The runs indexed by id; a label id repeated within a run is a problem, and any
    /// problem fails the command (exit status 2).
    private static func index(
        _ runs: [String: (run: CompactRun.Builder, lines: [Int])], path: String, problems: [Diagnostic]
    ) throws -> [String: CompactRunIndex] {
        var problems = problems
        var labels: [String: CompactRunIndex] = [:]
        for (runID, run) in runs {
            let index = CompactRunIndex(run.run.finish(), byName: false)
            for repeated in index.repeatedIDs {
                problems.append(Diagnostic(file: path, line: run.lines[repeated], message: "label \(index.run.id(repeated)) appears twice"))
            }
            labels[runID] = index
        }
        // In file order, as they were found.
        try report(problems.enumerated().sorted { ($0.element.line ?? 0, $0.offset) < ($1.element.line ?? 0, $1.offset) }.map(\.element))
        return labels
    }

    static func readRunIDs(_ path: String) throws -> [String] {
        do { return try IDsFile.readRunIDs(path: path) } catch {
            try report(error.diagnostics)
            return []
        }
    }

    static func readKeys(_ path: String, idColumns: [String]) throws -> [RecordKey] {
        do { return try IDsFile.readKeys(path: path, idColumns: idColumns) } catch {
            try report(error.diagnostics)
            return []
        }
    }

    /// Prints the problems and a count, then fails with exit status 2.
    private static func report(_ problems: [Diagnostic]) throws {
        guard !problems.isEmpty else { return }
        let console = Console.current
        for problem in problems { console.message(problem.description) }
        throw CommandFailure("\(Formatting.count(problems.count, "problem")) in the input; nothing was fetched", exitCode: 2)
    }
}
