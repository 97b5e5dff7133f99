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

    /// Writes the header, then every label of `runIDs` in export order.
    package func exportRuns(
        _ runIDs: [String],
        fetch: @escaping @Sendable (String) async throws(APIError) -> [GoldLabel],
        write: ([UInt8]) throws -> Void
    ) async throws -> ExportOutcome {
        let whole = encoder.needsAllRecords
        if !whole { try write(encoder.header()) }
        var outcome = ExportOutcome()
        var all: [GoldLabel] = []
        let encoder = self.encoder
        try await OrderedFetcher(window: window).forEach(Self.exportOrder(runIDs: runIDs)) { runID in
            do throws(APIError) {
                let labels = GoldLabel.sortedForExport(try await fetch(runID))
                return .success((whole ? [] : encoder.rows(labels), whole ? labels : [], labels.count))
            } catch {
                return .failure(error)
            }
        } deliver: { runID, result in
            switch result {
            case .success(let (bytes, labels, count)):
                if whole { all += labels } else { try write(bytes) }
                outcome.records += count
                outcome.runs += 1
            case .failure(let error):
                guard error.kind == .notFound else { throw error }
                outcome.failures.append(ExportFailure(item: runID, error: error))
            }
        }
        if whole { try encoder.writeDocument(all, write: write) }
        return outcome
    }

    /// Writes the header, then the labels named by `keys` (deduplicated) in export order.
    package func exportLabels(
        _ keys: [RecordKey],
        fetch: @escaping @Sendable (RecordKey) async throws(APIError) -> GoldLabel,
        write: ([UInt8]) throws -> Void
    ) async throws -> ExportOutcome {
        let (labels, failures) = try await fetchRecords(keys, window: window, fetch: fetch)
        try encoder.writeDocument(labels, write: write)
        return ExportOutcome(records: labels.count, runs: Set(labels.map(\.runID)).count, failures: failures)
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
