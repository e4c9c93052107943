#if PGWIRE_LIBFUZZER
    import Synchronization
    #if canImport(Glibc)
        import Glibc
    #elseif canImport(Darwin)
        import Darwin
    #endif

    // Built by `.ci/fuzz` with `-sanitize=fuzzer -D PGWIRE_LIBFUZZER`. SwiftPM links an executable
    // target with `main` aliased to `pgwire_fuzz_main` (`--defsym main=pgwire_fuzz_main`); defining
    // that symbol here keeps libFuzzer's own `main` out, and this one picks the entry before handing
    // the remaining arguments to libFuzzer's driver.

    /// libFuzzer's driver: parses libFuzzer's options from `argv` and calls `callback` per input.
    @_silgen_name("LLVMFuzzerRunDriver")
    func llvmFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<Int32>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32
    ) -> Int32

    /// The entry chosen at start; the callback, a C function pointer, cannot capture it.
    private let selectedEntry = Mutex<FuzzEntry>(.decoder)

    @_cdecl("pgwire_fuzz_main")
    func pgwireFuzzMain(
        _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
    ) -> Int32 {
        var argc = argc
        var argv = argv
        let firstArgument = argc > 1 ? argv?[1].map { String(cString: $0) } : nil
        let environment = getenv(FuzzEntry.environmentVariable).map { String(cString: $0) }
        guard
            let (entry, fromArgument) = FuzzEntry.select(
                firstArgument: firstArgument, environment: environment)
        else {
            let usage = Array((FuzzEntry.usage + "\n").utf8)
            _ = usage.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            return 2
        }
        selectedEntry.withLock { $0 = entry }
        if fromArgument, let arguments = argv {
            // Drop the entry name so that libFuzzer sees only its own options and corpus folders.
            for index in 1..<Int(argc) {
                arguments[index] = arguments[index + 1]
            }
            argc -= 1
        }
        return llvmFuzzerRunDriver(&argc, &argv) { data, size in
            let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
            selectedEntry.withLock { $0 }.run(input)
            return 0
        }
    }
#endif
