import Testing
@testable import LabelPortCore

@Suite("Ordered fetcher", .timeLimit(.minutes(10)))
struct OrderedFetcherTests {
    /// Counts fetches started and not yet delivered; lets item 0 finish only after the
    /// other items of its window are done, so results arrive out of order.
    actor Probe {
        var outstanding = 0
        var peakOutstanding = 0
        var finishedOthers = 0
        var waiter: CheckedContinuation<Void, Never>?
        let othersBeforeFirst: Int

        init(othersBeforeFirst: Int) { self.othersBeforeFirst = othersBeforeFirst }

        func started() {
            outstanding += 1
            peakOutstanding = max(peakOutstanding, outstanding)
        }

        func delivered() { outstanding -= 1 }

        func otherFinished() {
            finishedOthers += 1
            if finishedOthers == othersBeforeFirst, let waiter {
                self.waiter = nil
                waiter.resume()
            }
        }

        func waitForOthers() async {
            if finishedOthers >= othersBeforeFirst { return }
            await withCheckedContinuation { waiter = $0 }
        }
    }

    @Test("results are delivered in input order, never more than the window outstanding")
    func order() async throws {
        let probe = Probe(othersBeforeFirst: 2)
        var delivered: [Int] = []
        try await OrderedFetcher(window: 3).forEach(Array(0..<20)) { item in
            await probe.started()
            if item == 0 { await probe.waitForOthers() } else if item < 3 { await probe.otherFinished() }
            return item == 7 ? .failure(APIError(kind: .notFound, operation: "get \(item)")) : .success(item * 10)
        } deliver: { item, result in
            await probe.delivered()
            delivered.append(item)
            if case .success(let value) = result { #expect(value == item * 10) } else { #expect(item == 7) }
        }
        #expect(delivered == Array(0..<20))
        #expect(await probe.peakOutstanding <= 3)
        #expect(await probe.peakOutstanding >= 2)
    }

    @Test("an error thrown while delivering stops the fetch")
    func deliverThrows() async {
        struct Stop: Error {}
        await #expect(throws: Stop.self) {
            try await OrderedFetcher(window: 2).forEach(Array(0..<10)) { item in .success(item) } deliver: { item, _ in
                if item == 3 { throw Stop() }
            }
        }
    }
}
