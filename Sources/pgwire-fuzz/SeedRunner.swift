#if !PGWIRE_LIBFUZZER
    import Foundation

    /// Without libFuzzer (a plain `swift build`), pgwire-fuzz runs each seed file once through the
    /// chosen entry: a regression runner for the corpora and for saved crash inputs.
    ///
    /// ```
    /// swift run pgwire-fuzz decoder Fixtures/fuzz/decoder
    /// ```
    @main
    struct SeedRunner {
        static func main() {
            var arguments = Array(CommandLine.arguments.dropFirst())
            guard
                let (entry, fromArgument) = FuzzEntry.select(
                    firstArgument: arguments.first,
                    environment: ProcessInfo.processInfo.environment[FuzzEntry.environmentVariable])
            else {
                FileHandle.standardError.write(Data((FuzzEntry.usage + "\n").utf8))
                exit(2)
            }
            if fromArgument { arguments.removeFirst() }
            var count = 0
            for path in arguments {
                for file in seedFiles(at: path) {
                    guard let data = FileManager.default.contents(atPath: file) else {
                        FileHandle.standardError.write(Data("cannot read \(file)\n".utf8))
                        exit(1)
                    }
                    entry.run(Array(data))
                    count += 1
                }
            }
            print("\(entry.rawValue): ran \(count) inputs")
        }

        /// The file itself, or the regular files in a folder, sorted.
        static func seedFiles(at path: String) -> [String] {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                return [path]
            }
            guard isDirectory.boolValue else { return [path] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            return names.sorted().map { (path as NSString).appendingPathComponent($0) }
                .filter { name in
                    var isFolder: ObjCBool = false
                    return FileManager.default.fileExists(atPath: name, isDirectory: &isFolder)
                        && !isFolder.boolValue
                }
        }
    }
#endif
