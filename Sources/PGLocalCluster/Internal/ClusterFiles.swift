import Foundation

/// File operations the cluster needs, each failing with a ``PGLocalClusterError`` that names the path.
enum ClusterFiles {
    /// A new, empty folder `parent/pglocal.XXXXXX` with mode 0700 (mkdtemp's), so only its owner
    /// (and root) can see the data, keys and socket inside.
    static func makeTemporaryFolder(in parent: String) throws(PGLocalClusterError) -> String {
        var template = Array("\(parent)/pglocal.XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard created else {
            throw .fileOperationFailed(
                path: parent, reason: "mkdtemp: \(String(cString: strerror(errno)))")
        }
        return String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Makes the folder `path` with `mode`.
    static func makeFolder(_ path: String, mode: Int) throws(PGLocalClusterError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: false,
                attributes: [.posixPermissions: mode])
        } catch {
            throw .fileOperationFailed(path: path, reason: "\(error)")
        }
    }

    /// Writes `contents` to `path`, then sets `mode`.
    static func write(_ contents: String, to path: String, mode: Int) throws(PGLocalClusterError) {
        do {
            // Create empty with the final mode first, so secrets are never briefly world-readable.
            guard
                FileManager.default.createFile(
                    atPath: path, contents: nil, attributes: [.posixPermissions: mode])
            else {
                throw CocoaError(.fileWriteUnknown)
            }
            try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
            try setMode(mode, of: path)
        } catch let error as PGLocalClusterError {
            throw error
        } catch {
            throw .fileOperationFailed(path: path, reason: "\(error)")
        }
    }

    static func setMode(_ mode: Int, of path: String) throws(PGLocalClusterError) {
        do {
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw .fileOperationFailed(path: path, reason: "\(error)")
        }
    }

    static func read(_ path: String) throws(PGLocalClusterError) -> String {
        do {
            return String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        } catch {
            throw .fileOperationFailed(path: path, reason: "\(error)")
        }
    }

    /// The size of `path` in bytes, 0 when it does not exist yet.
    static func size(of path: String) -> Int {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.intValue ?? 0
    }

    /// The text of `path` from byte `offset` on ("" when missing).
    static func text(of path: String, from offset: Int = 0) -> String {
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { return "" }
        return String(decoding: data.dropFirst(offset), as: UTF8.self)
    }

    /// The last `lines` lines of `path` ("" when missing).
    static func tail(of path: String, lines: Int) -> String {
        let all = text(of: path).trimmingTrailingNewlines().split(
            separator: "\n", omittingEmptySubsequences: false)
        return all.suffix(max(lines, 0)).joined(separator: "\n")
    }

    /// Removes `path` and everything in it; a missing path is fine.
    static func remove(_ path: String) throws(PGLocalClusterError) {
        guard FileManager.default.fileExists(atPath: path) else { return }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw .fileOperationFailed(path: path, reason: "\(error)")
        }
    }
}
