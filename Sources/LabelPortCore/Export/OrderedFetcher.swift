/// Runs fetches concurrently but hands their results over strictly in input order,
/// holding at most `window` results that are fetched but not yet handed over, so
/// memory is bounded by the window, not by the number of items.
package struct OrderedFetcher: Sendable {
    /// How many items may be in flight or waiting their turn at once (≥ 1).
    package var window: Int

    package init(window: Int) {
        self.window = max(1, window)
    }

    /// Calls `fetch` for every item (at most `window` ahead of the oldest one not yet
    /// delivered) and `deliver` with each result, in the order of `items`. If `deliver`
    /// throws, outstanding fetches are cancelled and the error rethrown.
    package func forEach<Item: Sendable, Value: Sendable>(
        _ items: [Item],
        fetch: @escaping @Sendable (Item) async -> Result<Value, APIError>,
        deliver: (Item, Result<Value, APIError>) async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: (Int, Result<Value, APIError>).self) { group in
            var launched = 0
            var delivered = 0
            var ready: [Int: Result<Value, APIError>] = [:]
            while delivered < items.count {
                while launched < items.count, launched < delivered + window {
                    let index = launched
                    let item = items[index]
                    group.addTask { (index, await fetch(item)) }
                    launched += 1
                }
                guard let (index, result) = try await group.next() else { break }
                ready[index] = result
                while let result = ready.removeValue(forKey: delivered) {
                    try await deliver(items[delivered], result)
                    delivered += 1
                }
            }
        }
    }

    /// Fetches every item and returns the results in input order (for small records
    /// such as single labels or evaluations, which must all be held to be sorted).
    package func collect<Item: Sendable, Value: Sendable>(
        _ items: [Item],
        fetch: @escaping @Sendable (Item) async -> Result<Value, APIError>
    ) async throws -> [(Item, Result<Value, APIError>)] {
        var results: [(Item, Result<Value, APIError>)] = []
        results.reserveCapacity(items.count)
        try await forEach(items, fetch: fetch) { item, result in results.append((item, result)) }
        return results
    }
}
