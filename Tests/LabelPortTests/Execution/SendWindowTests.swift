import Testing
@testable import LabelPortCore

@Suite("--rate: the window of the last sends", .timeLimit(.minutes(1)))
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
}
