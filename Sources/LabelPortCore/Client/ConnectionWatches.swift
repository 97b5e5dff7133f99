import NIOCore
import NIOHTTP2
import Synchronization

/// The client's open HTTP/2 connections, each with its ``ConnectionWatch``.
final class ConnectionWatches: Sendable {
    private struct Entry: Sendable {
        let channel: any Channel
        let watch: NIOLoopBound<ConnectionWatch>
    }

    /// How long a probed connection has to show it is alive: `--timeout`, but at least
    /// 1 s (a PING's round trip on a slow link) and at most 5 s (a live server acks a PING
    /// at once).
    let wait: TimeAmount
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    init(requestTimeout: TimeAmount) {
        self.wait = max(.seconds(1), min(requestTimeout, .seconds(5)))
    }

    /// Adds a watch to a new HTTP/2 connection, behind its frame handler, until it closes.
    /// Never fails the connection: one whose pipeline is not as expected goes unwatched.
    func add(to channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.submit {
            let watch = ConnectionWatch()
            guard channel.pipeline.syncOperations.insert(watch, .after, NIOHTTP2Handler.self) else { return }
            let key = ObjectIdentifier(channel)
            self.entries.withLock { $0[key] = Entry(channel: channel, watch: NIOLoopBound(watch, eventLoop: channel.eventLoop)) }
            channel.closeFuture.whenComplete { _ in
                _ = self.entries.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    /// A request timed out: probes every connection (``ConnectionWatch``). One that
    /// carries frames is left alone; a quiet live one acks the PING.
    func probeAll() {
        let all = entries.withLock { Array($0.values) }
        for entry in all {
            entry.channel.eventLoop.execute { entry.watch.value.probe(within: self.wait) }
        }
    }
}
