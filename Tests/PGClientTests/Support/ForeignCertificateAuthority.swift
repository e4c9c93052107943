import Foundation

/// A self-signed CA that signed nothing any test server uses: trusting only it must make every
/// certificate check fail.
enum ForeignCertificateAuthority {
    /// Makes the CA's key and certificate in `folder` with `openssl` and returns the
    /// certificate's path.
    static func make(in folder: String) throws -> String {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let certificate = folder + "/ca.crt"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "req", "-new", "-x509", "-nodes", "-newkey", "ec",
            "-pkeyopt", "ec_paramgen_curve:prime256v1", "-sha256", "-days", "30",
            "-subj", "/CN=foreign test CA", "-keyout", folder + "/ca.key", "-out", certificate,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestSupportError("openssl could not make a CA (status \(process.terminationStatus))")
        }
        return certificate
    }
}

/// A failure of the test support itself (not of the code under test).
struct TestSupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
