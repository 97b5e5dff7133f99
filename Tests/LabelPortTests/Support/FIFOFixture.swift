import Foundation
@testable import LabelPortCore

/// A FIFO made in a test's directory, written once by a thread of its own (a writer
/// blocks until a reader opens it): what `/dev/stdin` from a pipe or `<(command)` is.
enum FIFOFixture {
    /// Makes the FIFO `path` and starts writing `text` to it.
    static func start(_ path: String, writing text: String) -> Bool {
        guard mkfifo(path, 0o600) == 0 else { return false }
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            _ = Array(text.utf8).withUnsafeBytes { Platform.write(fd, $0.baseAddress, $0.count) }
            _ = Platform.close(fd)
        }
        writer.start()
        return true
    }
}
