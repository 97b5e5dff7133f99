import LabelPortCore

/// The sandbox's `--data` file, replaced whole or not at all through core's
/// ``AtomicFileWriter``: a crash at any point leaves either the old file or the new one.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws(FileError) {
        let writer = try AtomicFileWriter(path: path)
        do throws(FileError) {
            try writer.write(bytes)
            try writer.commit()
        } catch {
            writer.abort()
            throw error
        }
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
