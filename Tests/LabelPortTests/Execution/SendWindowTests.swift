import Testing
@testable import LabelPortCore

@Suite("--rate: no window holds more than rate + burst", .timeLimit(.minutes(5)))
struct SendWindowTests {
    @Test("the window admits `limit` sends, then the next when the oldest is `span` old")
    func admits() {
        var window = SendWindow(limit: 3, span: .seconds(1))
        #expect(window.admit(now: .zero) == nil)
        #expect(window.admit(now: .milliseconds(100)) == nil)
        #expect(window.admit(now: .milliseconds(200)) == nil)
        #expect(window.admit(now: .milliseconds(500)) == .seconds(1))
        #expect(window.admit(now: .milliseconds(999)) == .seconds(1))
        #expect(window.admit(now: .seconds(1)) == nil)
        #expect(window.admit(now: .seconds(1)) == .milliseconds(1100))
        #expect(window.admit(now: .milliseconds(1100)) == nil)
        #expect(window.admit(now: .milliseconds(1200)) == nil)
        #expect(window.admit(now: .milliseconds(1300)) == .seconds(2))
    }

    @Test("rate + burst in a second and a little: --rate 200 (burst 20) keeps 220 in 1.025 s; no --rate, no window")
    func forCeiling() {
        let window = SendWindow(ceiling: 200, burst: 20)
        #expect(window?.limit == 220)
        #expect(window?.span == .seconds(1) + SendWindow.margin)
        #expect(SendWindow(ceiling: 2.5, burst: 1)?.limit == 3)
        #expect(SendWindow(ceiling: nil, burst: 20) == nil)
    }

    /// A stall (the machine busy, connections still opening) wakes every waiting request at
    /// once: the token bucket, keeping its ideal schedule, lets them all go with the ones
    /// due after them, which put 65 sends in one second at --rate 50 (burst 5).
    @Test("after a stall, the sends that were due do not crowd the next second")
    func stall() async {
        let clock = ManualClock()
        let executor = RequestExecutor(
            options: ExecutionOptions(concurrency: 20, rate: 50, burst: 5), clock: clock, random: { 0.5 }, wallClock: { 1_000_000 })
        let sent = Recorder<Duration>()
        let stop = Locked(false)
        let workers = 20
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    while !stop.withLock({ $0 }) && sent.count < 400 {
                        _ = try? await executor.perform(.update) { sent.append(clock.now.offset) }
                    }
                }
            }
            var stalled = false
            while clock.now.offset < .seconds(5) && sent.count < 400 {
                let settled = await eventually { clock.sleeperCount == workers }
                #expect(settled)
                guard settled else { break }
                // One wake-up 300 ms late, a second in: 15 sends were due meanwhile.
                let late: Duration = !stalled && clock.now.offset >= .seconds(1) ? .milliseconds(300) : .zero
                if late > .zero { stalled = true }
                clock.advanceToNextDeadline(late: late)
            }
            stop.withLock { $0 = true }
            executor.cancelAll()
        }
        let times = sent.all.sorted()
        #expect(times.count > 200)
        var start = 0
        var worst = 0
        for end in times.indices {
            while times[end] - times[start] >= .seconds(1) { start += 1 }
            worst = max(worst, end - start + 1)
        }
        #expect(worst <= 55, "\(worst) sends in one second")
        // The rate over the whole run is still the rate (the window costs little).
        let span = (times.last! - times.first!).inSeconds
        #expect(Double(times.count - 1 - 5) / span > 50 * 0.95, "\(times.count) sends in \(span) s")
    }
}
