import NIOCore
import NIOHTTP2
import Synchronization

/// The client's open HTTP/2 connections, each with its ``ConnectionWatch``, by loop.
final class ConnectionWatches: Sendable {
    private struct Entry: Sendable {
        let channel: any Channel
        let watch: NIOLoopBound<ConnectionWatch>
    }

    /// How long a probed connection has to show it is alive: `--timeout`, at most
    /// ``longestWait`` (a live server acks a PING at once).
    let wait: TimeAmount
    static let longestWait = TimeAmount.seconds(5)
    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    init(wait: TimeAmount) {
        self.wait = wait
    }

    /// Adds a watch to a new HTTP/2 connection, behind its frame handler, until it closes.
    /// Never fails the connection: one whose pipeline is not as expected goes unwatched.
    func add(to channel: any Channel) -> EventLoopFuture<Void> {
        channel.eventLoop.submit {
            let pipeline = channel.pipeline.syncOperations
            let watch = ConnectionWatch()
            guard let framer = try? pipeline.handler(type: NIOHTTP2Handler.self),
                (try? pipeline.addHandler(watch, position: .after(framer))) != nil
            else { return }
            let key = ObjectIdentifier(channel)
            self.entries.withLock { $0[key] = Entry(channel: channel, watch: NIOLoopBound(watch, eventLoop: channel.eventLoop)) }
            channel.closeFuture.whenComplete { _ in
                _ = self.entries.withLock { $0.removeValue(forKey: key) }
            }
        }
    }

    /// A request timed out on `loop`: probes that loop's connections (``ConnectionWatch``).
    func probe(on loop: any EventLoop) {
        let onLoop = entries.withLock { $0.values.filter { $0.channel.eventLoop === loop } }
        for entry in onLoop {
            loop.execute { entry.watch.value.probe(within: self.wait) }
        }
    }
}
