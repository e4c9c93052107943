import NIOCore
import PGWire

/// The `decoder` entry: arbitrary bytes as a server's (and a client's) byte stream.
///
/// The first byte also chooses the size of the pieces the stream is fed in (and its top bit a
/// small maximum message size); the stream itself is the whole input, so that recorded sessions
/// are valid seeds. The incremental decoder (also taking DataRows on its fast path,
/// `nextDataRow()`, before every `next()`) and a single `decode(from:)` pass over all the bytes
/// must agree message for message and on the error. Every decoded message must re-encode to bytes
/// that decode to the same message.
enum DecoderFuzzing {
    /// Messages decoded from a stream, and the error that ended it if any.
    struct Outcome: Equatable {
        var messages: [BackendMessage] = []
        var error: PGWireError?
    }

    static func run(_ input: [UInt8]) {
        guard let selector = input.first else { return }
        let stream = ByteBuffer(bytes: input)
        checkBackendStream(stream, selector: selector)
        // A session that opened with SSLRequest or GSSENCRequest starts with a one-byte answer.
        var afterAnswer = stream
        if let answer = try? SSLResponse.decode(from: &afterAnswer), answer != .error {
            checkBackendStream(afterAnswer, selector: selector)
        }
        decodeFrontend(stream, selector: selector)
    }

    static func checkBackendStream(_ stream: ByteBuffer, selector: UInt8) {
        let maximumMessageSize =
            selector & 0x80 == 0 ? BackendMessageDecoder.defaultMaximumMessageSize : 4096
        let pieceSize = Int(selector & 0x7F) + 1
        let incremental = decodeIncrementally(
            stream, pieceSize: pieceSize, maximumMessageSize: maximumMessageSize)
        let whole = decodeAtOnce(stream, maximumMessageSize: maximumMessageSize)
        fuzzCheck(
            incremental == whole,
            "incremental and whole decoding differ: \(incremental) vs \(whole)")
        let preferringRows = decodeIncrementally(
            stream, pieceSize: pieceSize, maximumMessageSize: maximumMessageSize, preferringRows: true)
        fuzzCheck(
            preferringRows == whole,
            "decoding with the DataRow fast path differs: \(preferringRows) vs \(whole)")
        for message in whole.messages {
            checkBackendRoundTrip(message)
            walk(message)
        }
    }

    static func decodeIncrementally(
        _ stream: ByteBuffer, pieceSize: Int, maximumMessageSize: Int, preferringRows: Bool = false
    ) -> Outcome {
        var decoder = BackendMessageDecoder(maximumMessageSize: maximumMessageSize)
        var rest = stream
        var outcome = Outcome()
        do {
            while rest.readableBytes > 0 {
                let piece =
                    rest.readSlice(length: min(pieceSize, rest.readableBytes)) ?? ByteBuffer()
                decoder.append(piece)
                while true {
                    if preferringRows, let row = decoder.nextDataRow() {
                        outcome.messages.append(.dataRow(row))
                        continue
                    }
                    guard let message = try decoder.next() else { break }
                    outcome.messages.append(message)
                }
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    static func decodeAtOnce(_ stream: ByteBuffer, maximumMessageSize: Int) -> Outcome {
        let decoder = BackendMessageDecoder(maximumMessageSize: maximumMessageSize)
        var buffer = stream
        var outcome = Outcome()
        do {
            while let message = try decoder.decode(from: &buffer) {
                outcome.messages.append(message)
            }
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// Encodes, decodes and encodes again: the message and the bytes must survive unchanged.
    static func checkBackendRoundTrip(_ message: BackendMessage) {
        var encoded = ByteBuffer()
        message.encode(into: &encoded)
        let bytes = encoded
        do {
            let again = try BackendMessageDecoder().decode(from: &encoded)
            fuzzCheck(
                again == message, "\(message.name) re-decodes as \(String(describing: again))")
            fuzzCheck(encoded.readableBytes == 0, "\(message.name) re-decodes with bytes left over")
            var reencoded = ByteBuffer()
            again?.encode(into: &reencoded)
            fuzzCheck(reencoded == bytes, "\(message.name) re-encodes differently")
        } catch {
            fuzzCheck(false, "\(message.name) does not decode after encoding: \(error)")
        }
    }

    /// Reads every part of a message that is read lazily, so the fuzzer reaches that code too.
    static func walk(_ message: BackendMessage) {
        switch message {
        case .dataRow(let row):
            var count = 0
            var total = 0
            for column in row {
                count += 1
                total += column?.readableBytes ?? 0
            }
            fuzzCheck(
                count == row.columnCount, "DataRow iterates \(count) of \(row.columnCount) columns")
            fuzzCheck(total <= row.bytes.readableBytes, "DataRow columns exceed the row")
            _ = row.column(at: row.columnCount - 1)
        case .commandComplete(let done):
            _ = done.rowCount
            _ = done.command
        case .authentication(let request):
            _ = request.methodName
        default:
            break
        }
    }

    /// The same bytes as a client's stream, startup first or not and `p` read as the selector's
    /// bits choose;
    /// each decoded message must re-encode to bytes that decode to it again.
    static func decodeFrontend(_ stream: ByteBuffer, selector: UInt8) {
        var decoder = FrontendMessageDecoder(maximumMessageSize: 1 << 20)
        decoder.expectsStartupMessage = selector & 0x40 == 0
        let kinds: [FrontendMessageDecoder.PasswordMessageKind] = [
            .password, .saslInitialResponse, .saslResponse,
        ]
        decoder.passwordMessageKind = kinds[Int(selector & 0x03) % kinds.count]
        var buffer = stream
        while true {
            let before = decoder
            let message: FrontendMessage?
            do {
                message = try decoder.decode(from: &buffer)
            } catch {
                return
            }
            guard let message else { return }
            var encoded = ByteBuffer()
            do {
                try message.encode(into: &encoded)
            } catch {
                fuzzCheck(false, "decoded \(message.name) does not encode: \(error)")
                return
            }
            var replay = before
            let again = try? replay.decode(from: &encoded)
            fuzzCheck(
                again == message, "\(message.name) re-decodes as \(String(describing: again))")
        }
    }
}
