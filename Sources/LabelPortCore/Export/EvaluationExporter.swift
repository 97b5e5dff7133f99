/// Exports evaluations named by (run, id) as byte-stable rows in (run_id, id) order.
/// There is no list endpoint, so each is one GET; a 404 is skipped and reported in the
/// outcome, any other failure ends the export with that error.
package struct EvaluationExporter: Sendable {
    package var encoder: ExportEncoder<Evaluation>
    package var window: Int

    package init(encoder: ExportEncoder<Evaluation>, window: Int) {
        self.encoder = encoder
        self.window = max(1, window)
    }

    package func export(
        _ keys: [RecordKey],
        fetch: @escaping @Sendable (RecordKey) async throws(APIError) -> Evaluation,
        write: ([UInt8]) throws -> Void
    ) async throws -> ExportOutcome {
        let (evaluations, failures) = try await fetchRecords(keys, window: window, fetch: fetch)
        let long = try encoder.writeDocument(evaluations, write: write)
        var outcome = ExportOutcome(records: evaluations.count, runs: Set(evaluations.map(\.runID)).count, failures: failures)
        outcome.longCells = long
        return outcome
    }
}
