import Hummingbird
import NIOCore

/// The request context of the sandbox: Hummingbird's core storage plus the connection's
/// channel, which the `drop-after-commit` fault closes to end a request with no answer.
package struct SandboxRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    let channel: any Channel

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Gold labels can hold large objects; a run's list is answered, not uploaded.
    package var maxUploadSize: Int { 16 * 1024 * 1024 }
}
