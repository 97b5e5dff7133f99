/// Exports gold labels, whole runs or single labels, as byte-stable rows.
///
/// Runs are fetched concurrently, at most `window` at a time ahead of the writer, and
/// written in run_id order as each becomes ready, then released: peak memory is a few
/// runs, not the whole export. Runs the server does not have (404) are skipped and
/// reported in the outcome; any other failure ends the export with that error (the
/// caller then discards the partial file).
package struct LabelExporter: Sendable {
    package var encoder: ExportEncoder<GoldLabel>
    package var window: Int

    package init(encoder: ExportEncoder<GoldLabel>, window: Int) {
        self.encoder = encoder
        self.window = max(1, window)
    }

    /// The run ids to export: lower-cased, deduplicated, sorted byte-wise.
    package static func exportOrder(runIDs: [String]) -> [String] {
        Array(Set(runIDs.map(UUIDText.normalized))).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Writes the header, then every label of `runIDs` in export order. Each run is read
    /// compact (``CompactRun``): for CSV and JSONL as its rows, encoded as they arrive, then
    /// sorted and written; xlsx and flattened files, which need every label before the
    /// first row, keep the labels as sent in a temporary file (``SpillFile``; in memory
    /// when none can be made), memory only what sorts them, and decode each when its row
    /// is written.
    package func exportRuns(
        _ runIDs: [String],
        fetch: @escaping @Sendable (_ runID: String, _ body: CompactRun.Body) async throws(APIError) -> CompactRun,
        write: ([UInt8]) throws -> Void
    ) async throws -> ExportOutcome {
        let whole = encoder.needsAllRecords
        if !whole { try write(encoder.header()) }
        var outcome = ExportOutcome()
        var all: [CompactRun] = []
        let spill = whole ? SpillFile() : nil
        let body: CompactRun.Body = spill.map { .spilled($0) } ?? (whole ? .asSent : .row(encoder))
        try await OrderedFetcher(window: window).forEach(Self.exportOrder(runIDs: runIDs)) { runID in
            do throws(APIError) { return .success(try await fetch(runID, body)) } catch { return .failure(error) }
        } deliver: { runID, result in
            switch result {
            case .success(let run):
                if whole { all.append(run) } else { try Self.writeRows(run, write: write) }
                outcome.records += run.count
                outcome.runs += 1
                outcome.emptyTextValues += run.emptyTextValues
            case .failure(let error):
                guard error.kind == .notFound else { throw error }
                outcome.failures.append(ExportFailure(item: runID, error: error))
            }
        }
        if whole {
            outcome.longCells = try encoder.writeDocument(CompactLabels(all), write: write)
            // A label that could not be read back was written without its values: the
            // caller discards the file.
            if let failure = spill?.readFailure { throw failure }
        }
        return outcome
    }

    /// How many bytes of rows are gathered before a write: few system calls, little memory.
    static let writeBatch = 1 << 20

    /// Writes a run's rows (``CompactRun/Body/row(_:)``) in export order.
    static func writeRows(_ run: CompactRun, write: ([UInt8]) throws -> Void) throws {
        var out: [UInt8] = []
        out.reserveCapacity(writeBatch)
        for index in run.exportOrder() {
            out.append(contentsOf: run.bodyBytes(index))
            if out.count >= writeBatch {
                try write(out)
                out.removeAll(keepingCapacity: true)
            }
        }
        if !out.isEmpty { try write(out) }
    }

    /// Writes the header, then the labels named by `keys` (deduplicated) in export order.
    package func exportLabels(
        _ keys: [RecordKey],
        fetch: @escaping @Sendable (RecordKey) async throws(APIError) -> GoldLabel,
        write: ([UInt8]) throws -> Void
    ) async throws -> ExportOutcome {
        let (labels, failures) = try await fetchRecords(keys, window: window, fetch: fetch)
        let long = try encoder.writeDocument(labels, write: write)
        var outcome = ExportOutcome(records: labels.count, runs: Set(labels.map(\.runID)).count, failures: failures)
        outcome.emptyTextValues = labels.count { $0.textValue?.isEmpty == true }
        outcome.longCells = long
        return outcome
    }
}

/// Fetches single records concurrently and returns them in export order, with the
/// keys the server does not have (404); any other failure is thrown.
func fetchRecords<Record: ExportRecord>(
    _ keys: [RecordKey], window: Int,
    fetch: @escaping @Sendable (RecordKey) async throws(APIError) -> Record
) async throws -> ([Record], [ExportFailure]) {
    var seen = Set<RecordKey>()
    let unique = keys.filter { seen.insert($0).inserted }.sorted { $0.precedes($1) }
    let results = try await OrderedFetcher(window: window).collect(unique) { key in
        do throws(APIError) { return .success(try await fetch(key)) } catch { return .failure(error) }
    }
    var records: [Record] = []
    var failures: [ExportFailure] = []
    for (key, result) in results {
        switch result {
        case .success(let record): records.append(record)
        case .failure(let error):
            guard error.kind == .notFound else { throw error }
            failures.append(ExportFailure(item: key.description, error: error))
        }
    }
    return (Record.sortedForExport(records), failures)
}
