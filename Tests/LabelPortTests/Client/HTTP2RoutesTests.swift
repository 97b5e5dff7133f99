@testable import LabelPortCore
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

/// Which loop a request read whole is bound to: none before an HTTP/2 answer, its task's
/// loop after, and another loop for a while after a timeout there (a silent connection).
@Suite("HTTP/2 routes")
struct HTTP2RoutesTests {
    let loops: [any EventLoop] = [EmbeddedEventLoop(), EmbeddedEventLoop()]
    let start = ContinuousClock.now
    let elapsed = Locked(Duration.zero)

    func routes() -> HTTP2Routes {
        let (start, elapsed) = (start, elapsed)
        return HTTP2Routes(loops: loops, stallPeriod: .seconds(6), now: { start + elapsed.withLock { $0 } })
    }

    @Test("unbound until an answer over HTTP/2; then bound to the task's loop; a task on no loop is unbound")
    func boundAfterHTTP2() {
        let routes = routes()
        #expect(routes.loop(from: loops[1]) == nil)
        #expect(!routes.noteTimeout(on: loops[1]), "over HTTP/1.1: nothing to avoid, nothing to probe")
        routes.noteVersion(.http1_1)
        #expect(routes.loop(from: loops[1]) == nil)
        routes.noteVersion(HTTPVersion(major: 2, minor: 0))
        #expect(routes.loop(from: loops[1]) === loops[1])
        #expect(routes.loop(from: loops[0]) === loops[0])
        #expect(routes.loop(from: nil) == nil)
    }

    @Test("after a timeout on a loop, its requests and reads go to the other for the stall period, then back")
    func stalledLoopAvoided() {
        let routes = routes()
        routes.noteVersion(HTTPVersion(major: 2, minor: 0))
        #expect(routes.noteTimeout(on: loops[0]), "over HTTP/2: its connections are probed")
        #expect(routes.loop(from: loops[0]) === loops[1])
        #expect(routes.loop(from: loops[1]) === loops[1])
        #expect(routes.readingIndex(0) == 1 && routes.readingIndex(5) == 1)
        elapsed.withLock { $0 = routes.stallPeriod - .seconds(1) }
        #expect(routes.loop(from: loops[0]) === loops[1])
        elapsed.withLock { $0 = routes.stallPeriod + .seconds(1) }
        #expect(routes.loop(from: loops[0]) === loops[0])
        #expect(routes.readingIndex(0) == 0)
    }

    @Test("when every loop stalled, each stays on its own")
    func allStalled() {
        let routes = routes()
        routes.noteVersion(HTTPVersion(major: 2, minor: 0))
        routes.noteTimeout(on: loops[0])
        routes.noteTimeout(on: loops[1])
        #expect(routes.loop(from: loops[0]) === loops[0])
        #expect(routes.loop(from: loops[1]) === loops[1])
    }
}
