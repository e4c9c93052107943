import PGWire

/// The `scram` entry: the bytes up to the first NUL are the server-first-message, the rest the
/// server-final-message, answered by a client with the fixtures' nonce and password.
enum SCRAMFuzzing {
    /// Inputs asking for more PBKDF2 iterations than this are skipped: the client accepts up to
    /// 100 million by design, which would only make libFuzzer report timeouts.
    static let maximumIterationCount = 10_000

    static func run(_ input: [UInt8]) {
        let split = input.firstIndex(of: 0) ?? input.endIndex
        let serverFirst = Array(input[..<split])
        let serverFinal = split < input.endIndex ? Array(input[(split + 1)...]) : []
        guard iterationCount(in: serverFirst) <= maximumIterationCount else { return }

        guard
            var scram = try? SCRAMSHA256(
                password: Array("scram-secret".utf8), channelBinding: .notSupportedByClient,
                clientNonce: "cGd3aXJlLXN3aWZ0IG5vbmNl")
        else {
            fuzzCheck(false, "the fixed client nonce is refused")
            return
        }
        do {
            let clientFinal = try scram.receive(serverFirst: serverFirst)
            fuzzCheck(!clientFinal.isEmpty, "empty client-final-message")
            try scram.receive(serverFinal: serverFinal)
            fuzzCheck(
                scram.isServerVerified, "server-final accepted but the server is not verified")
        } catch {
            fuzzCheck(!scram.isServerVerified, "server verified although a step failed: \(error)")
        }
        // A spent exchange refuses any further step.
        do {
            try scram.receive(serverFinal: serverFinal)
            fuzzCheck(false, "a finished exchange accepted another server-final-message")
        } catch {}
    }

    /// The largest `i=` value in the message, reading runs of digits only; 0 when there is none.
    static func iterationCount(in message: [UInt8]) -> Int {
        var largest = 0
        for attribute in message.split(
            separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
        where attribute.starts(with: [UInt8(ascii: "i"), UInt8(ascii: "=")]) {
            var value = 0
            for byte in attribute.dropFirst(2) {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { break }
                value = min(value * 10 + Int(byte - UInt8(ascii: "0")), Int.max / 20)
            }
            largest = max(largest, value)
        }
        return largest
    }
}
