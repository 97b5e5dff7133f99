import NIOCore

extension ChannelPipeline.SynchronousOperations {
    enum Side {
        case before, after
    }

    /// Adds `handler` on `side` of the pipeline's handler of type `anchor`. False, and
    /// nothing added, when there is no such handler or it cannot be added: a connection
    /// whose pipeline is not as expected goes without.
    func insert<Anchor: ChannelHandler>(_ handler: some ChannelHandler, _ side: Side, _ anchor: Anchor.Type) -> Bool {
        guard let found = try? self.handler(type: anchor) else { return false }
        let position: ChannelPipeline.SynchronousOperations.Position = side == .before ? .before(found) : .after(found)
        return (try? addHandler(handler, position: position)) != nil
    }
}
