import ArgumentParser
import LabelPortCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard error for messages and progress; standard output is for data.
struct Console: Sendable {
    static let standard = Console()

    var stdoutIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }
    var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    func error(_ line: String) {
        write(line + "\n", to: STDERR_FILENO)
    }

    func out(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    /// Writes to stderr without a newline (the progress line rewrites itself with \r).
    func status(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    private func write(_ text: String, to fd: Int32) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeMutableBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n <= 0 {
                if n < 0 && errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}

/// Runs `body`, turning a ``ConfigurationError`` (missing token or base URL, refused
/// http) into a usage error: its message on stderr and exit 64, before any network use.
func usage<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as ConfigurationError {
        Console.standard.error("labelport: error: \(error.message)")
        throw ExitCode(64)
    }
}
