import ArgumentParser
import LabelPortCore

/// The import's input, readable twice (once to validate, once to apply): standard
/// input ("-"), or a path that is not a regular file (a pipe such as `/dev/stdin` or
/// `<(command)`, which a second read would find empty), is first copied to a
/// temporary file.
struct InputFile {
    let path: String
    let displayName: String
    let options: LabelInputOptions
    private let isSpool: Bool

    init(path: String, options: LabelInputOptions) throws {
        self.options = options
        if path == "-" {
            self.path = try Self.spool(STDIN_FILENO, named: "standard input")
            self.displayName = "<stdin>"
            self.isSpool = true
        } else if FileText.isReadOnce(path) {
            let fd = Platform.openForReading(path)
            guard fd >= 0 else { throw ValidationError("cannot read \(path): \(String(cString: strerror(errno)))") }
            defer { _ = Platform.close(fd) }
            self.path = try Self.spool(fd, named: path)
            self.displayName = path
            self.isSpool = true
        } else {
            self.path = path
            self.displayName = path
            self.isSpool = false
        }
    }

    /// Copies everything `fd` gives to a temporary file; returns its path.
    private static func spool(_ fd: Int32, named name: String) throws -> String {
        let spool = try BufferedFileWriter.temporary(prefix: "labelport-stdin")
        var chunk = [UInt8](repeating: 0, count: 256 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Platform.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                try? spool.close(removing: true)
                throw ValidationError("cannot read \(name): \(reason)")
            }
            if n == 0 { break }
            try spool.write(Array(chunk[0..<n]))
        }
        try spool.close()
        return spool.path
    }

    func open() throws -> LabelInput {
        do {
            return try LabelInput(path: path, displayName: displayName, options: options)
        } catch {
            // `FILE: message`, as validate and every other input problem print it.
            Console.current.message(error.diagnostic.description)
            throw ExitCode(2)
        }
    }

    func remove() {
        if isSpool { unlink(path) }
    }
}

extension LabelInput: LabelItemSource {}
